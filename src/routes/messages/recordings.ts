// A call's recording and transcription (docs/behaviour.md#recordings): the recording as audio/x-wav with range support,
// the transcription as sentences or as a text file, and the extension through which a provider stores a transcription.
// The location is in the path: another location's is a 403 (docs/behaviour.md#request-pipeline).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TranscriptSentence } from '../../domain/transcriptions.js';
import { sendFileStream } from '../../http/file-reply.js';
import { requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import { presentSentence, transcriptText } from '../../presenters/transcriptions.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

const read = { kind: 'location', scope: 'conversations/message.readonly', locationFrom: 'params' } as const;
const write = { kind: 'location', scope: 'conversations/message.write', locationFrom: 'params' } as const;
const params = {
  params: {
    properties: { locationId: { type: 'string', maxLength: 64 }, messageId: { type: 'string', maxLength: 64 } },
  },
};
const seconds = { type: 'number', minimum: 0, maximum: 86_400 * 7 };
const confidence = { type: 'number', minimum: 0, maximum: 1 };

type MessageParams = { Params: { locationId: string; messageId: string } };

export function recordingRoutes({ recordings, transcriptions }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/conversations/messages/:messageId/locations/:locationId/recording',
      access: read,
      schema: schemaFrom(requestSchemas('conversations', 'get-message-recording'), params),
      handler: async (request: FastifyRequest<MessageParams>, reply: FastifyReply) => {
        const { stream } = await recordings.open(
          authOf(request).locationId,
          request.params.messageId,
          request.headers.range,
        );
        return sendFileStream(reply, stream, {
          'content-type': 'audio/x-wav',
          'content-disposition': 'attachment; filename=audio.wav',
        });
      },
    },
    {
      method: 'GET',
      url: '/conversations/locations/:locationId/messages/:messageId/transcription',
      access: read,
      schema: schemaFrom(requestSchemas('conversations', 'get-message-transcription'), params),
      handler: async (request: FastifyRequest<MessageParams>) => {
        const sentences = await transcriptions.sentences(authOf(request).locationId, request.params.messageId);
        // Production answers the sentences array itself (docs/behaviour.md#transcript-shape).
        return sentences.map(presentSentence);
      },
    },
    {
      method: 'GET',
      url: '/conversations/locations/:locationId/messages/:messageId/transcription/download',
      access: read,
      schema: schemaFrom(requestSchemas('conversations', 'download-message-transcription'), params),
      handler: async (request: FastifyRequest<MessageParams>, reply: FastifyReply) => {
        const sentences = await transcriptions.sentences(authOf(request).locationId, request.params.messageId);
        return reply
          .type('text/plain; charset=utf-8')
          .header('content-disposition', 'attachment; filename="transcription.txt"')
          .send(transcriptText(sentences));
      },
    },
    {
      method: 'PUT',
      url: '/conversations/locations/:locationId/messages/:messageId/transcription',
      access: write,
      schema: schemaFrom(requestSchemas('extensions', 'store-message-transcription'), {
        ...params,
        body: {
          properties: {
            sentences: {
              maxItems: 10_000,
              items: {
                properties: {
                  mediaChannel: { type: 'integer', minimum: 0, maximum: 16 },
                  sentenceIndex: { type: 'integer', minimum: 0, maximum: 1_000_000 },
                  startTime: seconds,
                  endTime: seconds,
                  transcript: { type: 'string', maxLength: 10_000 },
                  confidence,
                  speaker: { type: 'string', maxLength: 200 },
                  words: {
                    maxItems: 2_000,
                    items: {
                      properties: {
                        word: { type: 'string', maxLength: 200 },
                        startTime: seconds,
                        endTime: seconds,
                        confidence,
                      },
                    },
                  },
                },
              },
            },
          },
        },
      }),
      handler: async (request: FastifyRequest<MessageParams & { Body: { sentences: TranscriptSentence[] } }>) =>
        transcriptions.store(authOf(request).locationId, request.params.messageId, request.body.sentences),
    },
  ];
}
