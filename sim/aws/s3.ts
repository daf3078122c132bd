/**
 * Simulated Amazon S3: the few object operations the orchestrator uses (the fleet snapshot). Buckets are made by
 * the environment, as serverless.yml makes them; objects keep their bytes, content type and a content-MD5 ETag.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type GetObjectRequest,
  type HeadObjectRequest,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  type PutObjectRequest,
} from '@aws-sdk/client-s3';
import { modelled, unmodelled } from './errors.js';
import type { SimAwsContext } from './types.js';
import { handler, type SimHandler } from './util.js';

interface SimObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

/** What GetObject's `Body` is in Node: a Readable with the SDK's `transformTo*` helpers (sdkStreamMixin). */
function objectBody(bytes: Buffer) {
  const stream = Readable.from([bytes]);
  return Object.assign(stream, {
    transformToByteArray: async () => new Uint8Array(bytes),
    transformToString: async (encoding?: string) => bytes.toString((encoding ?? 'utf-8') as BufferEncoding),
    transformToWebStream: () => Readable.toWeb(Readable.from([bytes])),
  });
}

function bodyBytes(body: unknown): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw unmodelled(
    's3',
    'NotImplemented',
    'the simulated S3 takes PutObject bodies as strings or bytes; buffer a stream before sending it',
    { httpStatusCode: 501 },
  );
}

export class SimS3 {
  private readonly buckets = new Map<string, { region: string; objects: Map<string, SimObject> }>();

  constructor(private readonly ctx: SimAwsContext) {}

  /** Creates a bucket (what CloudFormation does for serverless.yml's bucket). */
  createBucket(name: string, region: string): void {
    if (!this.buckets.has(name)) this.buckets.set(name, { region, objects: new Map() });
  }

  /** An object's text, for tests; undefined when absent. */
  objectText(bucket: string, key: string): string | undefined {
    return this.buckets.get(bucket)?.objects.get(key)?.body.toString('utf8');
  }

  commands(): Record<string, SimHandler> {
    return {
      PutObject: handler(this.putObject),
      GetObject: handler(this.getObject),
      HeadObject: handler(this.headObject),
    };
  }

  private bucket(name: string | undefined) {
    const bucket = this.buckets.get(name ?? '');
    if (!bucket) throw modelled(NoSuchBucket, 404, 'The specified bucket does not exist', {});
    return bucket;
  }

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html: a PUT replaces the object whole.
  private putObject = (input: PutObjectRequest) => {
    const bucket = this.bucket(input.Bucket);
    const body = bodyBytes(input.Body);
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    bucket.objects.set(input.Key ?? '', {
      body,
      contentType: input.ContentType ?? 'binary/octet-stream',
      etag,
      lastModified: this.ctx.scheduler.now(),
    });
    return { ETag: etag };
  };

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html: NoSuchKey (404) when the key is absent
  // and the caller may list the bucket.
  private getObject = (input: GetObjectRequest) => {
    const object = this.bucket(input.Bucket).objects.get(input.Key ?? '');
    if (!object) throw modelled(NoSuchKey, 404, 'The specified key does not exist.', {});
    return {
      Body: objectBody(object.body),
      ContentType: object.contentType,
      ContentLength: object.body.length,
      ETag: object.etag,
      LastModified: object.lastModified,
    };
  };

  // HEAD has no body, so S3 answers a bare 404 that the SDK raises as NotFound.
  private headObject = (input: HeadObjectRequest) => {
    const object = this.bucket(input.Bucket).objects.get(input.Key ?? '');
    if (!object) throw modelled(NotFound, 404, 'Not Found', {});
    return {
      ContentType: object.contentType,
      ContentLength: object.body.length,
      ETag: object.etag,
      LastModified: object.lastModified,
    };
  };
}
