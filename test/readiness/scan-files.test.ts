import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderScan, scanExitCode, scanManifestPaths } from '../../lib/readiness/index.js';

/** Manifest inputs as people have them: no finding is lost to one bad file or document, and none is made up. */

const ingress = (name: string) =>
  `apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: ${name}\n  namespace: shop\n`;
const deployment = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n`;
const noStdin = { stdin: () => Readable.from([]) };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eks-upgrade-scan-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function scan(paths: string[], target = '1.22') {
  return scanManifestPaths(noStdin, { paths, target });
}

const found = (result: Awaited<ReturnType<typeof scan>>) =>
  result.verdicts.map(
    (v) => `${v.source.type === 'file' ? `${v.source.path}:${v.source.line}` : ''} ${v.kind} ${v.name}`,
  );

describe('a directory scan with a bad file in it', () => {
  it('reports an alias to another document as that document, and still reports the removed Ingress beside it', async () => {
    const aliased = write(
      'aliased.yaml',
      `${ingress('web')}  labels: &common {app: web}\n---\n${ingress('api')}  labels: *common\n`,
    );
    const sibling = write('sibling.yaml', ingress('storefront'));

    const result = await scan([dir]);

    // Anchors do not cross documents (YAML 1.2, 9.2): the second document is unreadable, the first is judged.
    expect(found(result)).toEqual([`${aliased}:1 Ingress web`, `${sibling}:1 Ingress storefront`]);
    expect(result.unreadable).toEqual([{ path: aliased, line: 8, reason: expect.stringMatching(/alias|anchor/i) }]);
    expect(result.objects).toBe(2);
    expect(scanExitCode(result.verdicts, result.unreadable.length)).toBe(3);
  });

  it('reports a dangling symbolic link and scans everything else', async () => {
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'link.yaml'));
    const real = write('real.yaml', ingress('storefront'));
    // A link to a file follows the name rule, as the file itself would: notes are not manifests.
    write('notes.txt', 'kind: [not, a, manifest\n');
    symlinkSync(join(dir, 'notes.txt'), join(dir, 'notes.md'));

    const result = await scan([dir]);

    expect(found(result)).toEqual([`${real}:1 Ingress storefront`]);
    expect(result.unreadable).toEqual([{ path: join(dir, 'link.yaml'), reason: 'broken symbolic link' }]);
  });

  it('keeps the removed object of a file whose other document is broken, and exits 3 for it', async () => {
    const file = write('mixed.yaml', `${ingress('first')}---\nkind: [broken\n---\n${ingress('third')}`);

    const result = await scan([file]);

    expect(found(result)).toEqual([`${file}:1 Ingress first`, `${file}:9 Ingress third`]);
    expect(result.unreadable).toEqual([{ path: file, line: 7, reason: expect.any(String) }]);
    expect(scanExitCode(result.verdicts, result.unreadable.length)).toBe(3);
  });

  it('calls a binary file binary, without a byte of it in the report', async () => {
    const binary = write(
      'image.yaml',
      Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR'), Buffer.alloc(20_000, 0xff)]),
    );

    const result = await scan([binary]);

    expect(result.unreadable).toEqual([{ path: binary, reason: 'binary file, not YAML or JSON' }]);
    expect(renderScan(result, 'text').length).toBeLessThan(400);
  });

  it('puts what could not be read before any summary, and never claims a clean scan', async () => {
    const result = await scan([join(dir, 'missing')]);
    const text = renderScan(result, 'text').split('\n');

    expect(text[0]).toBe(`error: ${join(dir, 'missing')}: no such file or directory`);
    expect(text).not.toContain('No deprecated or removed APIs found.');
    expect(scanExitCode(result.verdicts, result.unreadable.length)).toBe(1);
  });
});

describe('manifest formats', () => {
  it('counts a document of an untracked API from its apiVersion and kind lines, without parsing it in full', async () => {
    // The price of speed on large inputs: a syntax error deeper in such a document goes unreported, and nothing
    // the scan reports depends on it.
    const file = write('app.yaml', `${deployment('web')}spec: {replicas: [1\n---\n${ingress('old')}`);

    const result = await scan([file]);

    expect(found(result)).toEqual([`${file}:7 Ingress old`]);
    expect(result.objects).toBe(2);
    expect(result.unreadable).toEqual([]);
  });

  it('sniffs files without an extension by their content', async () => {
    const manifest = write('ingress', ingress('bare'));
    write('LICENSE', 'Apache License\nVersion 2.0, January 2004\n');
    write('Makefile', 'kind:\n\techo not yaml\n'.replace('kind:\n', 'build:\n'));

    const result = await scan([dir]);

    expect(found(result)).toEqual([`${manifest}:1 Ingress bare`]);
    expect(result.files).toBe(1);
    expect(result.unreadable).toEqual([]);
  });

  it('reads files with a byte order mark, CRLF line ends, JSON and List kinds, with the right lines', async () => {
    const bom = write('bom.yaml', `\uFEFF# exported\n${ingress('bom')}`);
    const crlf = write('crlf.yaml', `${deployment('web')}---\n${ingress('crlf')}`.replaceAll('\n', '\r\n'));
    const json = write(
      'list.json',
      JSON.stringify(
        {
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' } },
            { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'json' } },
          ],
        },
        null,
        2,
      ),
    );
    const list = write(
      'list.yaml',
      'apiVersion: v1\nkind: IngressList\nitems:\n  - apiVersion: extensions/v1beta1\n    kind: Ingress\n    metadata: {name: listed}\n',
    );

    const result = await scan([bom, crlf, json, list]);

    expect(found(result)).toEqual([
      `${bom}:2 Ingress bom`,
      `${crlf}:6 Ingress crlf`,
      `${json}:12 Ingress json`,
      `${list}:4 Ingress listed`,
    ]);
    expect(result.objects).toBe(6);
    expect(result.unreadable).toEqual([]);
  });

  it('judges the items of a <Kind>List that names their version once', async () => {
    const file = write(
      'cronjobs.yaml',
      'apiVersion: batch/v1beta1\nkind: CronJobList\nitems:\n  - metadata: {name: nightly}\n  - metadata: {name: hourly}\n',
    );

    const result = await scan([file], '1.25');

    expect(found(result)).toEqual([`${file}:4 CronJob nightly`, `${file}:5 CronJob hourly`]);
  });

  it('reads a stream cut anywhere, even inside a line or a character, as the same text whole', async () => {
    const text = `# café ☕\n${ingress('one')}---\n${deployment('web')}---\n${ingress('two')}`;
    const bytes = Buffer.from(text);
    const cut = [
      bytes.subarray(0, 5),
      bytes.subarray(5, 6),
      bytes.subarray(6, 7),
      bytes.subarray(7, 40),
      bytes.subarray(40),
    ];

    const whole = await scanManifestPaths({ stdin: () => Readable.from([text]) }, { paths: ['-'], target: '1.22' });
    const pieces = await scanManifestPaths({ stdin: () => Readable.from(cut) }, { paths: ['-'], target: '1.22' });

    expect(found(pieces)).toEqual(found(whole));
    expect(found(whole)).toEqual(['-:2 Ingress one', '-:13 Ingress two']);
  });
});

describe('directories that hold manifests only once rendered', () => {
  const chart = () => {
    const root = join(dir, 'charts', 'shop');
    mkdirSync(join(root, 'templates'), { recursive: true });
    writeFileSync(join(root, 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 1.0.0\n');
    writeFileSync(
      join(root, 'templates', 'ingress.yaml'),
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\n',
    );
    return root;
  };

  it('skips a Helm chart when helm is not on PATH, saying how to render it, and counts the scan incomplete', async () => {
    const root = chart();
    write('plain.yaml', deployment('web'));

    const result = await scanManifestPaths(
      { stdin: () => Readable.from([]), path: '' },
      { paths: [dir], target: '1.22' },
    );

    expect(result.unreadable).toEqual([]);
    expect(result.skipped).toEqual([
      {
        path: root,
        reason: `Helm chart, and helm is not on PATH: render it with \`helm template ${root} | eks-upgrade scan - --target 1.22\``,
      },
    ]);
    expect(result.objects).toBe(1);
    expect(renderScan(result, 'text').split('\n')[0]).toBe(`error: ${root}: skipped: ${result.skipped[0]?.reason}`);
  });

  it('renders a Helm chart with the helm on PATH and judges what it renders', async () => {
    const root = chart();
    // A stand-in for helm that prints what `helm template` prints for this chart: the documents, each headed by
    // the template it came from.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'helm'),
      `#!/bin/sh\n[ "$1" = template ] || exit 2\nprintf -- '---\\n# Source: shop/templates/ingress.yaml\\n${ingress('release-name').replaceAll('\n', '\\n')}'\n`,
    );
    chmodSync(join(bin, 'helm'), 0o755);

    const result = await scanManifestPaths(
      { stdin: () => Readable.from([]), path: bin },
      { paths: [root], target: '1.22' },
    );

    expect(result.verdicts.map((v) => [v.kind, v.name, v.template, v.source])).toEqual([
      [
        'Ingress',
        'release-name',
        'shop/templates/ingress.yaml',
        { type: 'file', path: `${root} (helm template)`, line: 3 },
      ],
    ]);
    expect(result.skipped).toEqual([]);
  });

  it('renders a kustomization with the real kubectl: the patched result is judged, the patch is not an object', async () => {
    const root = join(dir, 'overlay');
    mkdirSync(root);
    writeFileSync(join(root, 'ingress.yaml'), ingress('storefront'));
    writeFileSync(
      join(root, 'patch.yaml'),
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: storefront\n  namespace: shop\n  labels: {tier: edge}\n',
    );
    writeFileSync(
      join(root, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: prod-\nresources: [ingress.yaml]\npatches: [{path: patch.yaml}]\n',
    );

    const result = await scanManifestPaths({ stdin: () => Readable.from([]) }, { paths: [dir], target: '1.22' });

    expect(result.unreadable).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(found(result)).toEqual([`${root} (kubectl kustomize):1 Ingress prod-storefront`]);
  });
});
