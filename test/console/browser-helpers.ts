import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Debian's Chromium, which `.ci/run` installs; the tests never download a browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface World {
  /** `http://127.0.0.1:<port>/console#token=<token>`, as `demo --interactive` prints it. */
  consoleUrl: string;
  url: string;
  token: string;
  /** What the world process wrote to stderr, for failure messages. */
  errors(): string;
  stop(): Promise<void>;
}

type Address = Pick<World, 'consoleUrl' | 'url' | 'token'>;

/** Runs `args` under Node with tsx in a process of its own until `address` finds the console's address in stdout. */
async function startProcess(
  args: string[],
  env: Record<string, string>,
  address: (stdout: string) => Address | undefined,
): Promise<World> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const found = await new Promise<Address>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const parsed = address(out);
      if (parsed) resolve(parsed);
    });
    child.once('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited (${code}) before serving:\n${out}\n${stderr}`)),
    );
  });
  return {
    ...found,
    errors: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}

/** Starts test/console/browser-world.ts in a process of its own and waits for its console address. */
export function startWorld(options: { pace?: number } = {}): Promise<World> {
  return startProcess(['test/console/browser-world.ts'], { BROWSER_WORLD_PACE: String(options.pace ?? 120) }, (out) => {
    const line = out.split('\n').find((l) => l.startsWith('{'));
    return line ? (JSON.parse(line) as Address) : undefined;
  });
}

/**
 * The command of a walkthrough in docs/console.md (the `sh` block after `<!-- walkthrough: NAME -->`), as the
 * Node arguments `npm run` gives it: the npm script's `tsx <file> [words]` from package.json, then the words
 * after `--`. The command must be one `npm run <script> -- ...` line, so that it is what a person types.
 */
export function walkthrough(name: string): { command: string; args: string[] } {
  const doc = readFileSync(join(root, 'docs/console.md'), 'utf8');
  const marker = `<!-- walkthrough: ${name} -->`;
  const at = doc.indexOf(marker);
  if (at < 0) throw new Error(`docs/console.md has no ${marker}`);
  const block = /```sh\n([^\n]+)\n```/.exec(doc.slice(at));
  const command = block?.[1]?.trim() ?? '';
  const words = /^npm run (\S+) -- (.+)$/.exec(command);
  if (!words) throw new Error(`walkthrough ${name} is not one "npm run <script> -- ..." line: ${command}`);
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  const script = /^tsx (.+)$/.exec(scripts[words[1] as string] ?? '');
  if (!script) throw new Error(`npm script ${words[1]} does not run tsx: ${scripts[words[1] as string]}`);
  return { command, args: [...(script[1] as string).split(/\s+/), ...(words[2] as string).split(/\s+/)] };
}

/** Runs a walkthrough's command until `stop()`, waiting for the console address it prints. */
export function startWalkthrough(name: string, ready: RegExp = /^Console: /m): Promise<World & { output(): string }> {
  const session = join(mkdtempSync(join(tmpdir(), `eks-upgrade-${name}-`)), 'session.json');
  let printed = '';
  return startProcess(walkthrough(name).args, { CI: 'true', EKS_UPGRADE_SESSION_FILE: session }, (out) => {
    printed = out;
    const consoleUrl = /^Console: (http:\/\/127\.0\.0\.1:\d+\/console#token=(\S+))$/m.exec(out);
    if (!consoleUrl?.[1] || !consoleUrl[2] || !ready.test(out)) return undefined;
    return { consoleUrl: consoleUrl[1], url: new URL(consoleUrl[1]).origin, token: consoleUrl[2] };
  }).then((world) => ({ ...world, output: () => printed }));
}

/** The instant the fleet world dispatches at: 1.34 leaves standard support the next day, 1.33 has left it. */
export const fleetDispatchAt = '2026-12-01T02:00:00Z';

/**
 * docs/console.md's fleet walkthrough (`dispatch --apply --interactive` on scenarios/fleet.yaml at
 * `fleetDispatchAt`), as a person runs it: waits for the console address it prints and for dispatch to have run.
 * The upgrades it started run on at its pace; the console serves until `stop()`.
 */
export function startFleetWorld(): Promise<World & { output(): string }> {
  if (!walkthrough('fleet').args.includes(fleetDispatchAt))
    throw new Error(`docs/console.md's fleet walkthrough no longer dispatches at ${fleetDispatchAt}`);
  return startWalkthrough('fleet', /^\d+ of \d+ clusters started$/m);
}

/** One headless Chromium for a test file. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's package (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`,
    );
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The console address with a short refresh interval, so that tests see the pages follow the upgrade. */
export function withPoll(consoleUrl: string, seconds: number): string {
  const url = new URL(consoleUrl);
  url.searchParams.set('poll', String(seconds));
  return url.toString();
}

/** An element of the page, as far as the checks read it (the project compiles without the DOM library). */
export interface PageElement {
  tagName: string;
  id: string;
  type?: string;
  textContent: string | null;
  labels?: Iterable<PageElement> | null;
  offsetParent?: unknown;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
}

/** The page's globals the checks use: `(globalThis as unknown as PageDom)` inside `page.evaluate`. */
export interface PageDom {
  document: {
    activeElement: PageElement | null;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
    getElementById(id: string): PageElement | null;
  };
  getComputedStyle(element: PageElement): { outlineStyle: string };
  /** What a test keeps in the page between polls. */
  seen?: string[];
}

/**
 * The accessibility basics every page must meet, checked in the page with DOM queries: every form control has a
 * label, every image and SVG picture a text alternative, every button and link a name, one `<main>`, and
 * headings that do not skip a level. Returns what is wrong, in words.
 */
export function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageDom;
    const problems: string[] = [];
    const text = (node: PageElement | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const labelledBy = (el: PageElement) =>
      (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => text(document.getElementById(id)))
        .join(' ')
        .trim();
    const describe = (el: PageElement) =>
      `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}${el.getAttribute('class') ? ` class="${el.getAttribute('class')}"` : ''}>`;
    const visible = (el: PageElement) => el.offsetParent !== null || el.tagName === 'svg';

    for (const control of document.querySelectorAll('input, select, textarea, progress')) {
      if (control.type === 'hidden') continue;
      const labels = control.labels;
      const named =
        (labels && [...labels].some((l) => text(l))) ||
        control.getAttribute('aria-label')?.trim() ||
        labelledBy(control);
      if (!named) problems.push(`${describe(control)} has no label`);
    }
    for (const img of document.querySelectorAll('img')) {
      if (!img.hasAttribute('alt')) problems.push(`${describe(img)} has no alt text`);
    }
    for (const picture of document.querySelectorAll('svg')) {
      if (picture.closest('svg') !== picture) continue;
      if (picture.getAttribute('aria-hidden') === 'true') continue;
      const named =
        picture.getAttribute('aria-label')?.trim() ||
        labelledBy(picture) ||
        text(picture.querySelector(':scope > title'));
      if (picture.getAttribute('role') !== 'img' || !named)
        problems.push(`${describe(picture)} is a picture without role="img" and a text alternative`);
    }
    for (const control of document.querySelectorAll('button, a[href]')) {
      if (!visible(control)) continue;
      if (!text(control) && !control.getAttribute('aria-label')?.trim() && !labelledBy(control))
        problems.push(`${describe(control)} has no accessible name`);
    }
    if (document.querySelectorAll('main').length !== 1) problems.push('the page needs exactly one <main>');
    if (!document.querySelector('a.skip-link[href="#main"]')) problems.push('the page has no skip link to <main>');
    let level = 0;
    for (const heading of document.querySelectorAll('main h1, main h2, main h3, main h4')) {
      const next = Number(heading.tagName.slice(1));
      if (level && next > level + 1) problems.push(`heading "${text(heading)}" skips from h${level} to h${next}`);
      level = next;
    }
    return problems;
  });
}
