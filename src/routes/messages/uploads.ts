// Uploading attachments: multipart files and attachmentUrls (upload-file-attachments, also as a JSON body of
// attachmentUrls only, which is what the SDK sends for a plain object), and the direct-upload pair initiate/complete.
import type { FastifyMultipartBaseOptions, Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { CompleteInput, InitiateInput } from '../../domain/direct-uploads.js';
import { DomainError } from '../../domain/errors.js';
import type { UploadPart } from '../../domain/uploads.js';
import { componentSchema, requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import type { Services } from '../../services.js';
import { mergeSchema, type Route, schemaFrom } from '../route.js';

const write = { kind: 'location', scope: 'conversations/message.write', locationFrom: 'body' } as const;
const id = { type: 'string', minLength: 1, maxLength: 64 };
const url = { type: 'string', minLength: 1, maxLength: 2048 };
const name = { type: 'string', minLength: 1, maxLength: 255 };

/** The spec's UploadFilesDto as a JSON body: conversationId names the target; the rest is optional (lenient). */
const jsonUploadBody = mergeSchema(componentSchema('conversations', 'UploadFilesDto'), {
  required: ['conversationId'],
  properties: {
    conversationId: id,
    contactId: id,
    locationId: id,
    attachmentUrls: { type: 'array', items: url, maxItems: 100 },
    chatServiceSid: { type: 'string', maxLength: 64 },
    isGroupSms: { type: ['string', 'boolean'], maxLength: 5 },
  },
});

type JsonUpload = {
  conversationId: string;
  contactId?: string;
  locationId?: string;
  attachmentUrls?: string[];
  isGroupSms?: string | boolean;
};

async function* jsonParts(body: JsonUpload): AsyncIterable<UploadPart> {
  for (const key of ['conversationId', 'contactId', 'locationId', 'isGroupSms'] as const) {
    const value = body[key];
    if (value !== undefined) yield { kind: 'field', name: key, value: String(value) };
  }
  for (const value of body.attachmentUrls ?? []) yield { kind: 'field', name: 'attachmentUrls', value };
}

/** The request's parts as they stream in, with busboy's limits one past ours so the domain's own 413 speaks. */
async function* multipartParts(request: FastifyRequest, files: Config['files']): AsyncIterable<UploadPart> {
  const options: FastifyMultipartBaseOptions = {
    limits: {
      fileSize: files.maxFileBytes + 1,
      files: files.maxFilesPerRequest + 1,
      fields: 50,
      fieldSize: 64 * 1024,
      parts: files.maxFilesPerRequest + 51,
    },
    throwFileSizeLimit: false,
  };
  const parts = request.parts(options);
  try {
    for await (const part of parts as AsyncIterable<Multipart>) {
      if (part.type === 'file') {
        yield { kind: 'file', field: part.fieldname, filename: part.filename, stream: part.file };
      } else {
        yield { kind: 'field', name: part.fieldname, value: String(part.value ?? '') };
      }
    }
  } catch (error) {
    // busboy's own errors (a truncated or malformed body) carry no status: they are the client's.
    if (error instanceof DomainError || (error as { statusCode?: number }).statusCode) throw error;
    throw new DomainError('BAD_REQUEST', `Malformed multipart body: ${(error as Error).message}`);
  }
}

export function uploadRoutes({ uploads, directUploads, config }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/conversations/messages/upload',
      access: write,
      accepts: 'multipart',
      // Multipart bodies are read as they stream (no schema can see them); JSON bodies are validated.
      schema: { body: { content: { 'application/json': { schema: jsonUploadBody } } } },
      handler: async (request: FastifyRequest<{ Body: JsonUpload | undefined }>) => {
        const { locationId } = authOf(request);
        if (request.isMultipart()) return uploads.upload(locationId, multipartParts(request, config.files));
        const body = request.body;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
          throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data, or JSON with attachmentUrls');
        }
        return uploads.upload(locationId, jsonParts(body));
      },
    },
    {
      method: 'POST',
      url: '/conversations/messages/upload/initiate',
      access: write,
      schema: schemaFrom(requestSchemas('conversations', 'initiate-file-upload'), {
        body: {
          properties: {
            locationId: id,
            conversationId: id,
            filename: name,
            contentType: { type: 'string', minLength: 1, maxLength: 255 },
            fileSize: { type: 'number', minimum: 0 },
            channel: { type: 'string', minLength: 1, maxLength: 32 },
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Body: InitiateInput }>) =>
        directUploads.initiate(authOf(request).locationId, request.body),
    },
    {
      method: 'POST',
      url: '/conversations/messages/upload/complete',
      access: write,
      schema: schemaFrom(requestSchemas('conversations', 'complete-file-upload'), {
        body: {
          properties: {
            uploadId: id,
            filePath: { type: 'string', minLength: 1, maxLength: 512 },
            locationId: id,
            conversationId: id,
            filename: name,
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Body: CompleteInput }>) =>
        directUploads.complete(authOf(request).locationId, request.body),
    },
  ];
}
