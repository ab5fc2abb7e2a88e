// The S3-compatible server the tests use when TEST_S3_URL names one (http://KEY:SECRET@host:port/bucket, started by
// .ci/run): the environment a Switchboard needs to keep its files there, under a prefix of its own.
import { randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { BlobStoreConfig } from '../../src/config.js';
import { s3Client } from '../../src/files/s3.js';

export const S3_URL = process.env.TEST_S3_URL || null;

/** BLOB_STORE_URL and the AWS variables for a fresh prefix of the test bucket. */
export function s3Env(prefix = `test-${randomBytes(6).toString('hex')}`): Record<string, string> {
  if (!S3_URL) throw new Error('S3 tests need TEST_S3_URL');
  const url = new URL(S3_URL);
  const bucket = url.pathname.replace(/^\/+|\/+$/g, '');
  return {
    BLOB_STORE_URL: `s3://${bucket}/${prefix}`,
    AWS_ENDPOINT_URL_S3: `${url.protocol}//${url.host}`,
    AWS_ACCESS_KEY_ID: decodeURIComponent(url.username),
    AWS_SECRET_ACCESS_KEY: decodeURIComponent(url.password),
    AWS_REGION: 'us-east-1',
  };
}

/** How many objects a Switchboard's S3 store holds under `under` (`blobs/` or `tmp/`) of its prefix. */
export async function s3ObjectCount(config: Extract<BlobStoreConfig, { kind: 's3' }>, under: string): Promise<number> {
  const client = s3Client(config);
  let count = 0;
  let token: string | undefined;
  try {
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: config.bucket,
          Prefix: `${config.prefix}${under}`,
          ContinuationToken: token,
        }),
      );
      count += page.KeyCount ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    client.destroy();
  }
  return count;
}
