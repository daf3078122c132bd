// The console's entry module: signs in, lays out the page, and routes #/... to the page modules. It exports
// nothing; pages import their helpers from ui.js and api.js (README.md describes the contract).
import { createApi } from './api.js';
import { clearToken, completeSignIn, signedInAs, startSignIn, storedToken, takeFragmentToken } from './auth.js';
import { parseRoute } from './router.js';
import { el, errorBox } from './ui.js';

const pages = {
  fleet: () => import('./fleet.js').then((m) => m.renderFleet),
  executions: () => import('./executions.js').then((m) => m.renderExecutions),
  execution: () => import('./execution.js').then((m) => m.renderExecution),
  approvals: () => import('./approvals.js').then((m) => m.renderApprovals),
};
const titles = { fleet: 'Fleet', executions: 'Executions', execution: 'Execution', approvals: 'Approvals' };

const main = document.getElementById('main');
const status = document.getElementById('status');

/** Writes to the aria-live region (cleared first, so the same words are announced again). */
function announce(text) {
  status.textContent = '';
  setTimeout(() => {
    status.textContent = text;
  }, 50);
}

function setTitle(text) {
  document.title = `${text} · EKS upgrades`;
  let h1 = main.querySelector('h1');
  if (!h1) {
    h1 = el('h1');
    main.prepend(h1);
  }
  h1.textContent = text;
}

/** Runs `work` now and every `seconds` while the tab is visible, until stopped or the signal aborts. */
function makePoll(signal, seconds) {
  return (work) => {
    let timer;
    let stopped = false;
    const schedule = () => {
      clearTimeout(timer);
      if (!stopped) timer = setTimeout(run, seconds * 1000);
    };
    const run = async () => {
      if (stopped) return;
      if (document.hidden) return; // resumes on visibilitychange
      try {
        await work();
      } catch (error) {
        if (!stopped) announce(`Could not refresh: ${error.message}`);
      }
      schedule();
    };
    const onVisibility = () => {
      if (!document.hidden && !stopped) {
        clearTimeout(timer);
        run();
      }
    };
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
    document.addEventListener('visibilitychange', onVisibility);
    signal.addEventListener('abort', stop);
    run();
    return stop;
  };
}

async function loadConfig() {
  const response = await fetch('/console/config.json', { cache: 'no-store', credentials: 'omit' });
  const config = await response.json().catch(() => ({ error: `The console's settings answered ${response.status}.` }));
  const poll = Number(new URLSearchParams(location.search).get('poll'));
  if (Number.isFinite(poll) && poll >= 0.2 && poll <= 300) config.pollSeconds = poll;
  config.pollSeconds ??= 5;
  return config;
}

function renderSignIn(config, message) {
  document.title = 'Sign in · EKS upgrades';
  const parts = [el('h1', {}, 'Sign in')];
  if (message) parts.push(el('p', { class: 'notice', role: 'alert' }, message));
  if (config.error) {
    parts.push(errorBox(config.error));
  } else if (config.auth === 'oidc') {
    const button = el('button', { type: 'button', class: 'primary' }, 'Sign in with your company account');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await startSignIn(config);
      } catch (error) {
        button.disabled = false;
        main.append(errorBox(error));
      }
    });
    parts.push(el('p', {}, 'The console shows the upgrades of your EKS clusters and asks for your approvals.'), button);
  } else {
    parts.push(
      el('p', {}, 'This is a local run. Open the address that '),
      el(
        'p',
        {},
        el('code', {}, 'eks-upgrade demo --interactive'),
        ' printed: it ends with ',
        el('code', {}, '#token=…'),
        '.',
      ),
    );
  }
  main.replaceChildren(...parts);
  main.focus();
}

function startBadge(api, seconds) {
  const badge = document.getElementById('pending-badge');
  const link = badge.closest('a');
  const controller = new AbortController();
  const refresh = async () => {
    const { approvals } = await api.get('/api/approvals');
    const n = approvals.length;
    badge.hidden = n === 0;
    badge.textContent = String(n);
    link.setAttribute('aria-label', n ? `Approvals, ${n} pending` : 'Approvals, none pending');
  };
  makePoll(controller.signal, Math.max(seconds, 5))(refresh);
  return { refresh, stop: () => controller.abort() };
}

async function boot() {
  document.querySelector('.skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  takeFragmentToken();
  const config = await loadConfig();
  if (config.auth === 'oidc') {
    try {
      await completeSignIn(config);
    } catch (error) {
      renderSignIn(config, error.message);
      return;
    }
  }
  if (config.error || !storedToken()) {
    renderSignIn(config);
    return;
  }
  document.getElementById('user').textContent = signedInAs(storedToken())
    ? `Signed in as ${signedInAs(storedToken())}`
    : 'Local run';
  let current;
  let badge;
  const api = createApi({
    token: () => storedToken() ?? '',
    onUnauthorized: () => {
      current?.abort();
      badge?.stop();
      clearToken();
      renderSignIn(config, 'Your sign-in has expired or was refused: sign in again.');
    },
  });
  badge = startBadge(api, config.pollSeconds);

  let generation = 0;
  async function navigate() {
    const route = parseRoute(location.hash);
    if (route.redirected || !location.hash) {
      history.replaceState(null, '', '#/fleet');
    }
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const mine = ++generation;
    for (const a of document.querySelectorAll('nav a[data-page]')) {
      const active = a.dataset.page === route.page || (route.page === 'execution' && a.dataset.page === 'executions');
      if (active) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    main.replaceChildren(el('h1', {}, titles[route.page]), el('p', { class: 'muted' }, 'Loading…'));
    setTitle(titles[route.page]);
    try {
      const render = await pages[route.page]();
      if (mine !== generation) return;
      main.replaceChildren();
      const ctx = {
        name: route.name,
        query: route.query,
        api,
        poll: makePoll(controller.signal, config.pollSeconds),
        announce,
        setTitle,
        signal: controller.signal,
        refreshBadge: () => badge.refresh().catch(() => undefined),
      };
      const cleanup = await render(main, ctx);
      if (typeof cleanup === 'function') controller.signal.addEventListener('abort', cleanup);
    } catch (error) {
      if (mine !== generation || error?.status === 401) return;
      main.replaceChildren(el('h1', {}, titles[route.page]), errorBox(error));
    }
    main.focus({ preventScroll: false });
  }
  window.addEventListener('hashchange', navigate);
  await navigate();
}

boot().catch((error) => {
  main.replaceChildren(el('h1', {}, 'EKS upgrades'), errorBox(error));
});
