import { describe, expect, it } from 'vitest';
import { decodeSelfSubjectAccessReview, isProtobuf, ProtobufError, unwrap } from '../../../sim/kube/protobuf.js';
import { humanDuration, wantsTable } from '../../../sim/kube/table.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('ages, as apimachinery prints them (duration.HumanDuration)', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-0.5 * s, '0s'],
    [0, '0s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [5 * m + 30 * s, '5m30s'],
    [10 * m + 59 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [48 * h, '2d'],
    [49 * h, '2d1h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [800 * d, '2y70d'],
    [8 * 365 * d, '8y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('content negotiation', () => {
  it('serves a Table only when the Accept header asks for meta.k8s.io Tables', () => {
    expect(
      wantsTable(
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      ),
    ).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    expect(wantsTable('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io')).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
  });
});

/** Protobuf encoding helpers for the test: a length-delimited field. */
function field(n: number, value: Buffer | string): Buffer {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
  return Buffer.concat([Buffer.from([(n << 3) | 2, bytes.length]), bytes]);
}

describe('the protobuf SelfSubjectAccessReview kubectl auth can-i sends', () => {
  it('decodes the envelope and the resource attributes', () => {
    const attributes = Buffer.concat([field(1, 'default'), field(2, 'get'), field(5, 'pods')]);
    const review = field(2, field(1, attributes));
    const typeMeta = Buffer.concat([field(1, 'authorization.k8s.io/v1'), field(2, 'SelfSubjectAccessReview')]);
    const body = Buffer.concat([Buffer.from('k8s\0'), field(1, typeMeta), field(2, review)]);

    const { kind, raw } = unwrap(body);

    expect(isProtobuf(body)).toBe(true);
    expect(kind).toBe('SelfSubjectAccessReview');
    expect(decodeSelfSubjectAccessReview(raw).spec).toEqual({
      resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' },
    });
  });

  it('refuses what is not the envelope, or is cut short', () => {
    expect(() => unwrap(Buffer.from('{"kind":"SelfSubjectAccessReview"}'))).toThrow(ProtobufError);
    expect(() => unwrap(Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x40, 0x01])]))).toThrow(
      'truncated field',
    );
  });
});
