import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FleetSnapshot, FleetStore } from './types.js';

/**
 * The fleet snapshot as one JSON object in S3 (`fleet/latest.json` by default). Reading before the first dispatch
 * run gives undefined; other S3 errors (access denied, missing bucket) are thrown as the SDK raised them.
 */
export function s3FleetStore(options: { s3: S3Client; bucket: string; key?: string }): FleetStore {
  const key = options.key ?? 'fleet/latest.json';
  return {
    async read() {
      const object = await options.s3
        .send(new GetObjectCommand({ Bucket: options.bucket, Key: key }))
        .catch((error: unknown) => {
          if (error instanceof NoSuchKey) return undefined;
          throw error;
        });
      if (!object?.Body) return undefined;
      const text = await object.Body.transformToString('utf-8');
      try {
        return JSON.parse(text) as FleetSnapshot;
      } catch (cause) {
        throw new Error(
          `s3://${options.bucket}/${key} is not a fleet snapshot (not JSON); the next dispatch run rewrites it`,
          {
            cause,
          },
        );
      }
    },
    async write(snapshot) {
      await options.s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key,
          Body: JSON.stringify(snapshot),
          ContentType: 'application/json',
        }),
      );
    },
  };
}
