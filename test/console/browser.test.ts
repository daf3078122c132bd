/**
 * The console in real Chromium: first the fleet page after `eks-upgrade dispatch --apply --interactive` on
 * scenarios/fleet.yaml, then an interactive local run whose gates wait for people (test/console/browser-world.ts),
 * the pages a person uses in the order they use them. Tests share one browser page and build on each other's
 * decisions.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityProblems,
  fleetDispatchAt,
  launchChromium,
  type PageDom,
  type PageElement,
  startFleetWorld,
  startWalkthrough,
  startWorld,
  type World,
  walkthrough,
  withPoll,
} from './browser-helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docs = (file: string) => fileURLToPath(new URL(`../../docs/${file}`, import.meta.url));

let world: World;
let fleet: World;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name });
const stage = (id: string) => page.locator(`tr[data-stage="${id}"]`);
const gateCard = (cluster: string): Locator =>
  page.locator('article[data-gate]', { has: page.getByRole('heading', { name: new RegExp(` on ${cluster}\\b`) }) });

async function openApprovals(): Promise<void> {
  await nav(/^Approvals/).click();
  await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
}

async function expectAccessible(): Promise<void> {
  expect(await accessibilityProblems(page)).toEqual([]);
}

beforeAll(async () => {
  // The fleet's upgrades take about 1,000 simulated seconds: at 5 a second they still run when the fleet tests look.
  [world, fleet, browser] = await Promise.all([startWorld({ pace: 120 }), startFleetWorld(), launchChromium()]);
  // A person in Berlin: every time shows in their zone and in UTC.
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));

  page.on('console', (message) => {
    // The content security policy and Trusted Types report their refusals here.
    if (message.type() === 'error' && /Content Security Policy|Trusted Type/i.test(message.text()))
      pageErrors.push(message.text());
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([world?.stop(), fleet?.stop()]);
});

/** The fleet table's cells of one cluster, by column, as a person reads them. */
async function fleetRow(name: string): Promise<Record<(typeof fleetColumns)[number], string>> {
  const row = page
    .getByRole('table', { name: /Enrolled clusters/ })
    .locator('tbody tr', { has: page.getByRole('rowheader', { name: new RegExp(`^${name} `) }) });
  await expect(row.count(), `one row for ${name}`).resolves.toBe(1);
  const cells = await row.locator(':scope > th, :scope > td').allInnerTexts();
  return Object.fromEntries(fleetColumns.map((c, i) => [c, (cells[i] ?? '').replace(/\s+/g, ' ').trim()])) as Record<
    (typeof fleetColumns)[number],
    string
  >;
}
const fleetColumns = [
  'cluster',
  'versions',
  'end',
  'daysLeft',
  'policy',
  'wave',
  'last',
  'running',
  'decision',
] as const;

describe(`the fleet page in Chromium, after docs/console.md's fleet walkthrough (dispatch at ${fleetDispatchAt})`, () => {
  it('shows each enrolled cluster with its deadline in words, policy, wave and what dispatch decided', async () => {
    // Act
    await page.goto(withPoll(fleet.consoleUrl, 1));
    const table = page.getByRole('table', { name: /Enrolled clusters/ });
    await table.getByRole('link', { name: /^payments-dev-1-35-/ }).waitFor();

    // Assess
    expect(page.url()).not.toContain('token=');
    // Ages are measured on the run's simulated clock, not the browser's: dispatch ran at the scenario's instant.
    await expect(page.getByText(/Dispatch \(schedule\) ran/).textContent()).resolves.toMatch(
      /\((just now|\d+ \w+ ago)\)/,
    );
    const enrolled = ['checkout-dev', 'checkout-staging', 'checkout-prod', 'payments-dev', 'payments-prod', 'ledger'];
    for (const name of [...enrolled, 'reports', 'legacy']) await fleetRow(name);
    await expect(
      table.locator('tbody tr', { has: page.getByRole('rowheader', { name: /^sandbox / }) }).count(),
      'sandbox is not enrolled',
    ).resolves.toBe(0);
    const reports = await fleetRow('reports');
    expect(reports).toMatchObject({ versions: '1.33 → 1.35 2 hops', policy: 'batch', wave: '—' });
    expect(reports.daysLeft).toMatch(/^\d+ days past \(extended support\)/);
    expect(reports.decision).toMatch(/^wait-window .*: outside its maintenance windows/);
    const checkoutProd = await fleetRow('checkout-prod');
    expect(checkoutProd).toMatchObject({ versions: '1.34 → 1.35', policy: 'prod', wave: 'checkout / prod' });
    // 1.34 leaves standard support the day after dispatch runs.
    expect(checkoutProd.daysLeft).toMatch(/^0 days \(soon\) at risk/);
    expect(checkoutProd.decision).toContain('wait-wave');
    expect(checkoutProd.decision).toContain('waits for 111122223333/eu-west-1/checkout-staging (wave staging) to soak');
    await expect(
      table.getByText(/waits for 111122223333\/eu-west-1\/payments-dev \(wave dev\) to run 1\.35/).isVisible(),
    ).resolves.toBe(true);
    const checkoutDev = await fleetRow('checkout-dev');
    expect(checkoutDev.daysLeft).toMatch(/^\d+ days$/);
    expect(checkoutDev.last).toMatch(/^Succeeded checkout-dev-1-35-20261124/);
    expect(checkoutDev.decision).toMatch(/^nothing-to-do already on 1\.35/);
    await expect(fleetRow('legacy')).resolves.toMatchObject({ policy: 'gold', running: 'no' });
    await expect(fleetRow('ledger')).resolves.toMatchObject({ policy: 'prod', wave: '—' });

    // The chart's text alternative says what the table says.
    const rows = await table.locator('tbody tr').allInnerTexts();
    const count = (pattern: RegExp) => rows.filter((r) => pattern.test(r)).length;
    const [past, soon] = [count(/days past \(extended support\)/), count(/days \(soon\)/)];
    expect([past, soon]).toEqual([expect.any(Number), 4]);
    expect(past).toBeGreaterThanOrEqual(2);
    const chart = page.locator('main svg[role="img"]');
    await expect(chart.getAttribute('aria-labelledby')).resolves.toBe('chart-title chart-desc');
    await expect(chart.locator('desc').textContent()).resolves.toBe(
      `${rows.length} clusters; ${past} past end of standard support, ${soon} within 30 days, ${count(/at risk/)} at risk.`,
    );
    await expectAccessible();
  });

  it('links a started cluster to its running execution, whose page follows the upgrade', async () => {
    // Prepare
    const ledger = await fleetRow('ledger');
    expect(ledger.running).toMatch(/^Running ledger-1-35-20261201-[0-9a-f]{6} started /);
    expect(ledger.decision).toMatch(/^started /);

    // Act
    await page
      .getByRole('table', { name: /Enrolled clusters/ })
      .getByRole('link', { name: /^ledger-1-35-/ })
      .click();

    // Assess
    await page.getByRole('heading', { level: 1, name: 'Upgrade of ledger to 1.35' }).waitFor();
    expect(decodeURIComponent(page.url())).toMatch(/#\/executions\/ledger-1-35-20261201-[0-9a-f]{6}$/);
    await expect(page.getByTestId('execution-status').textContent()).resolves.toBe('Running');
    await expectAccessible();
  });

  it('sorts by any column, filters by deadline and searches, saying how many clusters match', async () => {
    // Prepare
    await nav(/^Fleet$/).click();
    const table = page.getByRole('table', { name: /Enrolled clusters/ });
    await table.getByRole('link', { name: /^ledger-1-35-/ }).waitFor();
    const names = async () =>
      (await table.locator('tbody tr > th').allInnerTexts()).map((t) => t.split('\n')[0]?.trim());
    const header = (name: string) => table.getByRole('columnheader', { name: new RegExp(`^${name}`) });

    // Act and assess: by cluster, ascending then descending.
    await header('Cluster').getByRole('button').click();
    const ascending = await names();
    expect(ascending).toEqual([...ascending].sort());
    await expect(header('Cluster').getAttribute('aria-sort')).resolves.toBe('ascending');
    await expect(table.locator('caption').textContent()).resolves.toBe(
      'Enrolled clusters, sorted by cluster (ascending)',
    );
    await header('Cluster').getByRole('button').click();
    await expect(names()).resolves.toEqual([...ascending].reverse());
    await expect(header('Cluster').getAttribute('aria-sort')).resolves.toBe('descending');

    // Search narrows the rows to the clusters whose words match.
    await page.getByRole('searchbox', { name: 'Search clusters' }).fill('payments');
    await expect(names()).resolves.toEqual(['payments-prod', 'payments-dev']);
    await expect(page.getByTestId('fleet-count').textContent()).resolves.toBe('2 of 8 clusters match.');
    await page.getByRole('searchbox', { name: 'Search clusters' }).fill('');

    // The deadline filter keeps the clusters past end of standard support.
    await page.getByRole('combobox', { name: 'Deadline' }).selectOption('extended');
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => /days past \(extended support\)/.test(r))).toBe(true);
    // With "upgrading now" too, what is left both is past its deadline and runs.
    await page.getByRole('combobox', { name: 'Upgrade' }).selectOption('yes');
    await expect(page.getByTestId('fleet-count').textContent()).resolves.toMatch(/^\d of 8 clusters match\.$/);
    const both = await table.locator('tbody tr').allInnerTexts();
    expect(both.every((r) => /days past/.test(r) && /Running \S+-1-35-/.test(r))).toBe(true);
    await page.getByRole('combobox', { name: 'Deadline' }).selectOption('');
    await page.getByRole('combobox', { name: 'Upgrade' }).selectOption('');
    await expect(page.getByTestId('fleet-count').textContent()).resolves.toBe('All 8 clusters.');
    // Back to the closest deadline first, as the page opens.
    await header('Days left').getByRole('button').click();
    await expect(table.locator('caption').textContent()).resolves.toBe(
      'Enrolled clusters, sorted by days left (ascending)',
    );
    await expectAccessible();
    await page.screenshot({ path: docs('console-fleet.png'), fullPage: true });
  });

  it("decides ledger's gate on the Approvals page, as the walkthrough says: the prod group asks people", async () => {
    // Act
    await openApprovals();
    const card = gateCard('ledger');
    await card.waitFor();
    await expect(card.getByText(/a single replica without a PodDisruptionBudget/).count()).resolves.toBeGreaterThan(0);
    await card.getByRole('button', { name: 'Approve' }).click();

    // Assess
    await card.getByText('Approved. The upgrade of ledger continues.').waitFor();
  });
});

describe('the console in Chromium', () => {
  it('signs in from the address demo --interactive prints, forgets the token in the address, and says dispatch has not run', async () => {
    // Act
    await page.goto(withPoll(world.consoleUrl, 0.5));
    await page.getByRole('heading', { name: 'No fleet status yet' }).waitFor();

    // Assess
    expect(page.url()).not.toContain('token=');
    await expect(
      page.getByText('Dispatch has not run yet, so there is no fleet status to show.').count(),
    ).resolves.toBe(1);
    await expectAccessible();
  });

  it('lists the running upgrades', async () => {
    await nav(/^Executions$/).click();
    const table = page.getByRole('table', { name: /Upgrade executions/ });
    await table.getByRole('link', { name: /^orders-1-34-/ }).waitFor();

    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.includes('Running'))).toBe(true);
    await expectAccessible();
    await page.screenshot({ path: docs('console-executions.png') });
  });

  it('approves a gate with a comment, then watches the timeline advance on the execution page', async () => {
    // Prepare: the execution page shows the gate waiting.
    await page
      .getByRole('table', { name: /Upgrade executions/ })
      .getByRole('link', { name: /^payments-1-34-/ })
      .click();
    await page.locator('tr[data-stage="gate:before-hop"][data-status="running"]').waitFor();
    await expect(page.getByTestId('current-step').textContent()).resolves.toContain('Approve hop');
    await expect(stage('control-plane').getAttribute('data-status')).resolves.toBe('pending');
    await expectAccessible();

    // Act: approve on the Approvals page, with a comment.
    await openApprovals();
    const card = gateCard('payments');
    await gateCard('orders').waitFor();
    await page.screenshot({ path: docs('console-approvals.png') });
    await expectAccessible();
    await card.getByLabel(/Comment/).fill('window agreed');
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByText('Approved. The upgrade of payments continues.').waitFor();
    await card.getByRole('link', { name: 'Follow the execution' }).click();

    // Assess: without a reload, the control plane stage runs, then succeeds.
    const seen = await page.waitForFunction(
      () => {
        const w = globalThis as unknown as PageDom;
        w.seen ??= [];
        const status = w.document.querySelector('tr[data-stage="control-plane"]')?.getAttribute('data-status');
        if (status && w.seen.at(-1) !== status) w.seen.push(status);
        return status === 'succeeded' ? w.seen : undefined;
      },
      undefined,
      { polling: 50, timeout: 60_000 },
    );
    expect(await seen.jsonValue()).toContain('running');
    await expect(stage('gate:before-hop').getAttribute('data-status')).resolves.toBe('succeeded');
    const approval = page.getByTestId('approvals').locator('tr[data-gate="before-hop"]');
    const cells = (await approval.locator('td').allTextContents()).map((c) => c.trim());
    expect(cells[1]).toBe('Approved');
    expect(cells.slice(2)).toEqual(['alice@example.com', expect.any(String), 'console', 'window agreed']);
    // When: in the reader's zone (Berlin) and in UTC, an hour apart in November.
    const when = await approval.locator('time').textContent();
    const zones = /(\d{1,2}):\d{2}(?: [AP]M)? (?:GMT\+1|CET) \((\d{1,2}):\d{2}(?: [AP]M)? UTC\)$/.exec(when ?? '');
    expect(when, 'local time with its zone, then UTC').toMatch(/ \(\d{1,2}:\d{2}(?: [AP]M)? UTC\)$/);
    expect((Number(zones?.[1]) - Number(zones?.[2]) + 12) % 12).toBe(1);
    // Where AWS shows the same execution: its ARN, the Step Functions console and its logs.
    const arn = await page.getByTestId('execution-arn').textContent();
    expect(arn).toMatch(/^arn:aws:states:eu-west-1:111122223333:execution:[\w-]+:payments-1-34-/);
    const links = page.getByTestId('aws-links').getByRole('link');
    await expect(links.allTextContents()).resolves.toEqual([
      'Step Functions console',
      'Task logs for this execution (CloudWatch Logs Insights)',
      expect.stringMatching(/^State machine log group \/aws\/vendedlogs\/states\//),
    ]);
    await expect(links.first().getAttribute('href')).resolves.toContain(encodeURIComponent(arn ?? ''));
    await expect(links.first().getAttribute('rel')).resolves.toBe('noopener noreferrer');
  });

  it('follows node rotation with progress bars until the upgrade succeeds', async () => {
    // Prepare: the node rotation gate waits; approve it.
    await page.locator('tr[data-stage="gate:before-nodes"][data-status="running"]').waitFor({ timeout: 60_000 });
    const execution = page.url();
    await openApprovals();
    await gateCard('payments').getByRole('button', { name: 'Approve' }).click();
    await gateCard('payments').getByText('Approved.').waitFor();
    await page.goto(execution);

    // Act: watch the rotation.
    const progress = page.getByRole('progressbar', { name: /Node group general \(hop 1, 1\.34\)/ });
    await progress.waitFor({ timeout: 60_000 });
    // Which old nodes are being emptied, and how many pods each still holds.
    const drained = page
      .getByRole('list', { name: 'Nodes being drained in Node group general' })
      .locator('li[data-node]');
    await drained.first().waitFor({ timeout: 60_000 });
    await expect(drained.first().textContent()).resolves.toMatch(/^\S+: \d+ pods? to move/);
    // The picture for docs/ shows a rotation under way, when the refreshes catch one (they usually do).
    await page
      .waitForFunction(
        () => {
          const { document } = globalThis as unknown as PageDom;
          const bar = document.querySelector('ul.rotation progress');
          const value = Number(bar?.getAttribute('value'));
          return value > 0 && value < Number(bar?.getAttribute('max'));
        },
        undefined,
        { timeout: 10_000 },
      )
      .catch(() => undefined);
    await page.screenshot({ path: docs('console-execution.png') });
    await page.getByTestId('execution-status').getByText('Succeeded').waitFor({ timeout: 90_000 });

    // Assess
    const [value, max] = await Promise.all([progress.getAttribute('value'), progress.getAttribute('max')]);
    expect(Number(value)).toBeGreaterThan(0);
    expect(value).toBe(max);
    await expect(stage('validation').getAttribute('data-status')).resolves.toBe('succeeded');
    await expect(page.getByTestId('failure').count()).resolves.toBe(0);
    await expectAccessible();
  });

  it('rejects a gate with a reason: the upgrade stops and its page gives the rejection as the cause', async () => {
    // Act
    await openApprovals();
    const card = gateCard('ledger');
    await card.getByLabel(/Comment/).fill('quarter-end freeze');
    await card.getByRole('button', { name: /^Reject/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reject' }).click();
    await card.getByText('Rejected. The upgrade of ledger stops.').waitFor();
    await card.getByRole('link', { name: 'Follow the execution' }).click();

    // Assess
    const failure = page.getByTestId('failure');
    await failure.waitFor({ timeout: 60_000 });
    await expect(failure.textContent()).resolves.toContain(
      'alice@example.com rejected the approval before the hop via console: “quarter-end freeze”.',
    );
    await expect(page.getByTestId('next-step').textContent()).resolves.toContain('Nothing after the gate was changed');
    await expect(page.getByTestId('execution-status').textContent()).resolves.toBe('Failed');
    await expect(stage('gate:before-hop').getAttribute('data-status')).resolves.toBe('failed');
    await expect(stage('control-plane').getAttribute('data-status')).resolves.toBe('skipped');
  });

  it('approves with the keyboard alone, and explains the failure that follows with what to do next', async () => {
    // Prepare
    await openApprovals();
    await gateCard('fragile').waitFor();
    const focusedOn = (what: 'approve' | 'follow') =>
      page.evaluate((w) => {
        const { document, getComputedStyle } = globalThis as unknown as PageDom;
        const active = document.activeElement;
        const inCard = active?.closest('article')?.querySelector('h2')?.textContent?.includes('on fragile');
        const isIt =
          w === 'approve'
            ? active?.tagName === 'BUTTON' && active.textContent === 'Approve'
            : active?.tagName === 'A' && active.textContent === 'Follow the execution';
        return Boolean(active && inCard && isIt) && getComputedStyle(active as PageElement).outlineStyle !== 'none';
      }, what);
    const tabTo = async (what: 'approve' | 'follow') => {
      for (let i = 0; i < 100 && !(await focusedOn(what)); i++) await page.keyboard.press('Tab');
      expect(await focusedOn(what), `Tab never reached the ${what} control with a visible focus`).toBe(true);
    };

    // Act
    await tabTo('approve');
    await page.keyboard.press('Enter');
    await gateCard('fragile').getByText('Approved. The upgrade of fragile continues.').waitFor();
    await tabTo('follow');
    await page.keyboard.press('Enter');

    // Assess
    const failure = page.getByTestId('failure');
    await failure.waitFor({ timeout: 60_000 });
    await expect(failure.textContent()).resolves.toMatch(/ControlPlaneUpdateFailed[\s\S]*ClusterUnreachable/);
    await expect(page.getByTestId('next-step').textContent()).resolves.toMatch(/^Read EKS’s error in the cause/);
    await expect(stage('control-plane').getAttribute('data-status')).resolves.toBe('failed');
    await expectAccessible();
  });

  it('reads the event history of an execution with each state’s input and output, filtered', async () => {
    // Prepare: ledger's execution, which the rejection stopped.
    await nav(/^Executions$/).click();
    await page
      .getByRole('table', { name: /Upgrade executions/ })
      .getByRole('link', { name: /^ledger-1-34-/ })
      .click();
    await page.getByTestId('failure').waitFor();

    // Act
    const panel = page.getByTestId('events-panel');
    await panel.locator('summary').first().click();
    const events = page.getByTestId('events');
    await events.locator('tbody tr').first().waitFor();
    const all = await events.locator('tbody tr').count();
    await page.getByRole('searchbox', { name: 'Filter by state, type or text' }).fill('Check readiness');
    const exited = events.locator('tbody tr[data-type="TaskStateExited"]');
    await exited.first().waitFor();
    await exited.first().locator('details summary').click();

    // Assess
    expect(all).toBeGreaterThan(10);
    await expect(events.locator('tbody tr').first().locator('td').nth(1).textContent()).resolves.toBe(
      'TaskStateEntered',
    );
    const output = JSON.parse((await exited.first().locator('pre').last().textContent()) ?? '{}');
    expect(output).toMatchObject({ cluster: 'ledger', readiness: { blockers: 0 } });
    await expect(page.getByTestId('events-count').textContent()).resolves.toMatch(
      new RegExp(`^\\d+ of ${all} events read, matching “Check readiness”\\.$`),
    );
    await page.getByRole('searchbox', { name: 'Filter by state, type or text' }).fill('ExecutionFailed');
    await expect(events.locator('tbody tr').allTextContents()).resolves.toEqual([
      expect.stringMatching(/ExecutionFailed[\s\S]*ApprovalRejected/),
    ]);
    await page.getByRole('searchbox', { name: 'Filter by state, type or text' }).fill('Check readiness');
    await expectAccessible();
    await page.screenshot({ path: docs('console-events.png'), fullPage: true });
  });

  it('searches and sorts the executions list, then stops the waiting upgrade of orders after a confirmation', async () => {
    // Prepare: the executions list, searched and sorted.
    await nav(/^Executions$/).click();
    const table = page.getByRole('table', { name: /Upgrade executions/ });
    await table.getByRole('link', { name: /^orders-1-34-/ }).waitFor();
    await table
      .getByRole('columnheader', { name: /^Cluster/ })
      .getByRole('button')
      .click();
    const clusters = await table.locator('tbody tr > td:nth-child(2)').allInnerTexts();
    expect(clusters).toEqual([...clusters].sort());
    await page.getByRole('searchbox', { name: /Search this page/ }).fill('orders');
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    await table.getByRole('link', { name: /^orders-1-34-/ }).click();
    await page.locator('tr[data-stage="gate:before-hop"][data-status="running"]').waitFor();

    // Act: Stop asks first, and says what stopping does.
    await page.getByRole('button', { name: 'Stop upgrade…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop this upgrade?' });
    await expect(dialog.textContent()).resolves.toContain('finishes on EKS’s side');
    await expectAccessible();
    await page.screenshot({ path: docs('console-stop.png') });
    await dialog.getByLabel(/Why/).fill('wrong window');
    await dialog.getByRole('button', { name: 'Stop upgrade' }).click();

    // Assess
    await expect(page.getByTestId('action-result').textContent()).resolves.toBe(
      'Stopped. The upgrade ends after the step it was at.',
    );
    await page.getByTestId('execution-status').getByText('Aborted').waitFor();
    const failure = page.getByTestId('failure');
    await expect(failure.locator('h2').textContent()).resolves.toBe('Why it was stopped');
    await expect(failure.textContent()).resolves.toMatch(
      /Stopped by alice@example\.com in the console at \S+: wrong window/,
    );
    await expect(page.getByTestId('next-step').textContent()).resolves.toContain(
      'resumes a rotation from the marks it left',
    );
    await expect(stage('control-plane').getAttribute('data-status')).resolves.toBe('skipped');
  });

  it('retries the stopped upgrade as a new execution that asks at its gate again', async () => {
    // Act
    await page.getByRole('button', { name: 'Retry…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry this upgrade?' });
    await expect(dialog.textContent()).resolves.toContain('checks readiness again as of now');
    await dialog.getByRole('button', { name: 'Retry' }).click();
    const retry = page.getByTestId('action-result').getByRole('link', { name: /^orders-1-34-.+-r1$/ });
    await retry.waitFor();
    await retry.click();

    // Assess
    await page.getByRole('heading', { level: 1, name: 'Upgrade of orders to 1.34' }).waitFor();
    expect(decodeURIComponent(page.url())).toMatch(/-r1$/);
    await page.locator('tr[data-stage="gate:before-hop"][data-status="running"]').waitFor();
    await openApprovals();
    await gateCard('orders').waitFor();
    await expectAccessible();
  });

  it("follows docs/console.md's demo walkthrough: the printed address, the first gate, approve, the next gate", async () => {
    // Prepare
    expect(walkthrough('demo').command).toBe('npm run demo -- --interactive');
    const demo = await startWalkthrough('demo');
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      // Act
      await other.goto(demo.consoleUrl);
      await other
        .getByRole('navigation', { name: 'Console' })
        .getByRole('link', { name: /^Approvals/ })
        .click();
      const card = other.locator('article[data-gate]', {
        has: other.getByRole('heading', { name: 'Approve hop 1 of 2 (1.32 → 1.33) on demo?' }),
      });
      await card.getByRole('button', { name: 'Approve' }).click();
      await card.getByRole('link', { name: 'Follow the execution' }).click();

      // Assess
      const hop1 = other.locator('table[data-hop="1"]');
      await hop1.locator('tr[data-stage="gate:before-nodes"][data-status="running"]').waitFor({ timeout: 60_000 });
      await expect(hop1.locator('tr[data-stage="control-plane"]').getAttribute('data-status')).resolves.toBe(
        'succeeded',
      );
      expect(other.url()).not.toContain('token=');
    } finally {
      await other.close();
      await demo.stop();
    }
  });

  it('follows the paced walkthrough: after the first gate, the control plane stage is seen running', async () => {
    // Prepare
    const env = { ...process.env, CI: 'true' };
    const { args } = walkthrough('paced');
    const badPace = promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', ...args.map((a) => (a === '60' ? '0' : a))],
      { cwd: root, env },
    );
    await expect(badPace).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--pace must be') });
    const demo = await startWalkthrough('paced');
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      // Act
      await other.goto(withPoll(demo.consoleUrl, 0.5));
      await other
        .getByRole('navigation', { name: 'Console' })
        .getByRole('link', { name: /^Approvals/ })
        .click();
      await other.getByRole('button', { name: 'Approve' }).first().click();
      await other.getByRole('link', { name: 'Follow the execution' }).click();

      // Assess
      await other
        .locator('table[data-hop="1"] tr[data-stage="control-plane"][data-status="running"]')
        .waitFor({ timeout: 60_000 });
    } finally {
      await other.close();
      await demo.stop();
    }
  });

  it("shows ledger's fleet row as its upgrade left it once the walkthrough's upgrade has succeeded", async () => {
    // Act: back on the fleet walkthrough's console, until ledger's upgrade has ended.
    await page.goto(withPoll(fleet.consoleUrl, 1));
    const table = page.getByRole('table', { name: /Enrolled clusters/ });
    await table
      .locator('tbody tr', { has: page.getByRole('rowheader', { name: /^ledger / }) })
      .getByTestId('upgraded-since')
      .waitFor({ timeout: 180_000 });

    // Assess
    const ledger = await fleetRow('ledger');
    expect(ledger.versions).toMatch(/^1\.35 → 1\.35 upgraded from 1\.34 since dispatch, /);
    expect(ledger.last).toMatch(/^Succeeded ledger-1-35-/);
    expect(ledger.daysLeft).toMatch(/^\d+ days$/);
    expect(ledger.daysLeft).not.toContain('at risk');
    await fleet.stop();
  }, 200_000);

  it('ran without script errors or refusals by the content security policy', () => {
    expect(pageErrors).toEqual([]);
  });
});
