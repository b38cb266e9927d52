// End-to-end tests of the browser playground: the release build in dist/, served on
// 127.0.0.1, driven in Debian's Chromium by playwright-core (no browser download).
// Each test does what a learner would, checks what they would see, saves a screenshot under
// target/e2e/, then reloads the page and checks that it comes back without errors.
//
// Run: `node --test tests/e2e/` after `trunk build --release` (scripts/test.sh does both).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const shots = path.join(root, 'target', 'e2e');
fs.mkdirSync(shots, { recursive: true });

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
  '.webmanifest': 'application/manifest+json' };

let server, base, browser, page;
const problems = [];

function serve() {
  return new Promise((resolve) => {
    server = http.createServer((req, res) => {
      const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = path.join(dist, url === '/' ? 'index.html' : url);
      if (!file.startsWith(dist) || !fs.existsSync(file)) {
        res.writeHead(404);
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${server.address().port}/`;
      resolve();
    });
  });
}

/** A page in a context of its own. Unless `keepStorage`, every load starts a fresh playground
 * (the saved session is forgotten), as the tests before persistence expect. */
async function newPage(opts = {}) {
  const { keepStorage, ...rest } = opts;
  const p = await browser.newPage({ viewport: { width: 1400, height: 900 }, ...rest });
  if (!keepStorage) {
    await p.addInitScript(() => { try { localStorage.removeItem('podplay.session'); } catch (e) { /* none */ } });
  }
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return p;
}

async function load(p = page, navigate = true) {
  if (navigate) await p.goto(base);
  await p.waitForSelector('.cm-editor', { state: 'attached', timeout: 20000 });
  await p.waitForSelector('#term-input', { state: 'attached' });
}

async function shot(name, p = page) {
  await p.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** Types a command into the terminal and waits until its echo shows. */
async function run(cmd, p = page) {
  const before = await p.locator('.term-log > div').count();
  await p.fill('#term-input', cmd);
  await p.press('#term-input', 'Enter');
  await p.waitForFunction((n) => document.querySelectorAll('.term-log > div').length > n, before);
}

async function terminalText(p = page) {
  return p.locator('.term-log').innerText();
}

/** The output of the last command run (the lines after its `$ ` echo). */
async function lastOutput(p = page) {
  const t = await terminalText(p);
  const i = t.lastIndexOf('\n$ ');
  return t.slice(t.indexOf('\n', i + 1) + 1);
}

async function openExample(name, p = page) {
  await p.selectOption('select.examples', name);
  await p.waitForFunction((n) => document.querySelector('.file-tab.active')?.textContent.includes(n), name);
}

async function reloadClean(step) {
  problems.length = 0;
  await page.reload();
  await load(page, false);
  await page.waitForTimeout(300);
  assert.deepEqual(problems, [], `after reloading at "${step}"`);
}

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'dist/ holds the release build');
  await serve();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await newPage();
  await load();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('the page loads without console errors and the editor is soon usable', async () => {
  // A fresh browser context: nothing cached.
  const cold = await newPage();
  await load(cold);
  // The figures are printed for the size report; budgets are checked by people, not timers.
  const ready = await cold.evaluate(() => performance.now());
  const nav = await cold.evaluate(() => performance.getEntriesByType('resource')
    .reduce((s, r) => s + (r.transferSize || 0), 0));
  console.log(`load: editor interactive ${Math.round(ready)} ms after navigation (localhost, cold cache); ${nav} bytes transferred`);
  await cold.close();
  await load();
  assert.deepEqual(problems, []);
  assert.match(await page.locator('.pane-map').innerText(), /control-plane[\s\S]*worker-1[\s\S]*worker-2/);
  assert.match(await page.locator('.statusbar').innerText(), /Seed 1/);
  await shot('01-loaded');
  await reloadClean('load');
});

test('apply the examplepod example: Running in kubectl, on the map and on the timeline', async () => {
  await openExample('examplepod.yml');
  await page.click('.editor-bar button.primary');
  await page.waitForFunction(() => document.querySelector('.term-log').innerText.includes('pod/examplepod created'));
  assert.match(await terminalText(), /\$ kubectl apply -f examples\/examplepod\.yml\npod\/examplepod created/);
  await run('sleep 30');
  await run('kubectl get pods');
  assert.match(await lastOutput(), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nexamplepod\s+1\/1\s+Running\s+0\s+3\ds$/);
  const card = page.locator('.pod[data-pod="examplepod"]');
  await assert.doesNotReject(card.waitFor());
  assert.equal(await card.locator('.pod-status').innerText(), 'Running');
  assert.match(await card.locator('.pod-ip').innerText(), /^10\.244\.[12]\.\d+$/);
  const lane = page.locator('.lane[data-lane="examplepod"]');
  await lane.waitFor();
  assert.ok(await lane.locator('.seg-ready').count() >= 1, 'a Ready segment on the lane');
  assert.ok(await lane.locator('.marker[data-reason="Scheduled"]').count() === 1);
  await run('kubectl logs examplepod');
  assert.equal(await lastOutput(), 'Hello Kubernetes!');
  await shot('02-examplepod-running');
  await reloadClean('apply');
});

test('a bad field is marked at its line with the API server\'s message', async () => {
  await page.click('.editor-bar button[aria-label="New file"]');
  const content = page.locator('.cm-content');
  await content.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  // Typed line by line: the editor indents after `key:` lines, so each line starts at column 0.
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: bad', 'spec:', '  containers:',
    '  - name: app', '    image: busybox', '    imagePullPolic: Always'];
  for (const [i, l] of lines.entries()) {
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type(l);
    if (i + 1 < lines.length) await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
  }
  await page.waitForSelector('.cm-lintRange-error', { timeout: 5000 });
  const problem = await page.locator('.problem').first().innerText();
  assert.match(problem, /^9:5 .*unknown field "spec\.containers\[0\]\.imagePullPolic"/);
  const marked = await page.locator('.cm-lintRange-error').first().innerText();
  assert.equal(marked, 'imagePullPolic');
  await shot('03-bad-field');
  // Completion of a field name from the schema.
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type('imagePullP');
  await page.waitForSelector('.cm-tooltip-autocomplete', { timeout: 5000 });
  assert.match(await page.locator('.cm-tooltip-autocomplete').innerText(), /imagePullPolicy/);
  await shot('04-completion');
  await page.keyboard.press('Enter');
  await page.keyboard.type('IfNotPresent');
  await page.waitForFunction(() => document.querySelectorAll('.problem').length === 0, null, { timeout: 5000 });
  // Hovering a key shows what `kubectl explain` says of it.
  await page.locator('.cm-line', { hasText: 'image: busybox' }).locator('text=image').first().hover();
  await page.waitForSelector('.cm-podplay-hover', { timeout: 5000 });
  assert.match(await page.locator('.cm-podplay-hover').innerText(), /^FIELD: image <string>/);
  await reloadClean('editor');
});

test('the init-container example at 60x goes Init:1/2 then Running', async () => {
  await page.selectOption('.tl-controls select', '60');
  await openExample('examplepodforinitcontainer.yml');
  await page.click('.editor-bar button.primary');
  const status = '.pod[data-pod="examplepodforinitcontainer"] .pod-status';
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === 'Init:1/2', status, { timeout: 20000, polling: 'raf' });
  await shot('05-init-1-of-2');
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === 'Running', status, { timeout: 20000, polling: 'raf' });
  const lane = page.locator('.lane[data-lane="examplepodforinitcontainer"]');
  assert.equal(await lane.locator('.container-row').count(), 3);
  assert.ok(await lane.locator('.container-row[data-container="initdbcheck"] .seg-terminated').count() >= 1);
  await shot('06-init-running');
  await reloadClean('init containers');
});

test('a trace between pods on different nodes crosses VXLAN', async () => {
  await run(`kubectl run a --image=nginx --overrides='{"spec":{"nodeName":"worker-1"}}'`);
  await run(`kubectl run b --image=nginx --overrides='{"spec":{"nodeName":"worker-2"}}'`);
  await run('sleep 20');
  await page.selectOption('.trace-form select', 'a');
  await page.fill('.trace-form input[list]', 'b');
  await page.dispatchEvent('.trace-form input[list]', 'change');
  await page.click('.trace-form button[type=submit]');
  await page.waitForSelector('.trace-path .verdict', { timeout: 15000 });
  const path_ = await page.locator('.trace-path').innerText();
  assert.match(path_, /flannel\.1/);
  assert.match(path_, /8472/);
  assert.match(path_, /delivered/);
  assert.ok(await page.locator('.trace-path .hop.vxlan').count() >= 1);
  assert.match(await terminalText(), /\$ podplay trace a b:80/);
  await shot('07-trace-vxlan');
  await reloadClean('trace');
});

test('a service lists its ready pods on the map, answers by name, and a trace shows the DNAT hop', async () => {
  await run('kubectl run web --image=nginx --labels=app=web --port=80');
  await run('kubectl expose pod web');
  await run('kubectl run c --image=busybox -- sleep 3600');
  await run('sleep 20');
  const svc = page.locator('.services .service[data-service="web"]');
  await svc.waitFor({ timeout: 15000 });
  assert.match(await svc.innerText(), /ClusterIP/);
  assert.equal(await svc.locator('.endpoint.tone-ok').count(), 1);
  await run('kubectl exec c -- wget -qO- http://web');
  assert.match(await lastOutput(), /Welcome to nginx/);
  await page.selectOption('.trace-form select', 'c');
  await page.fill('.trace-form input[list]', 'svc/web');
  await page.dispatchEvent('.trace-form input[list]', 'change');
  await page.click('.trace-form button[type=submit]');
  await page.waitForSelector('.trace-path .verdict', { timeout: 15000 });
  const path_ = await page.locator('.trace-path').innerText();
  assert.match(path_, /KUBE-SVC-/);
  assert.match(path_, /DNAT/);
  assert.match(path_, /delivered/);
  assert.equal(await page.locator('.trace-path .hop.dnat').count(), 1);
  assert.ok(await page.locator('.pod.traced[data-pod="web"]').count() >= 1);
  await shot('07b-trace-service');
  // The pod no longer ready: the service has no endpoint and refuses.
  await run('kubectl delete pod web --grace-period=0 --force');
  await svc.locator('.svc-none').waitFor({ timeout: 15000 });
  await run('kubectl exec c -- wget -qO- http://web');
  assert.match(await lastOutput(), /Connection refused/);
  await reloadClean('service');
});

test('scrubbing the timeline back shows the earlier cluster; Live returns', async () => {
  await run('sleep 10');
  await run('kubectl run late --image=nginx');
  await run('sleep 30');
  await page.waitForSelector('.pod[data-pod="late"]');
  // Click at the very start of the axis: before `late` existed.
  const box = await page.locator('.axis').boundingBox();
  await page.mouse.click(box.x + 2, box.y + box.height / 2);
  await page.waitForSelector('.past-badge');
  assert.equal(await page.locator('.pod[data-pod="late"]').count(), 0, 'late is not there yet');
  // Read-only kubectl answers from the past too.
  await run('kubectl get pods');
  assert.match(await terminalText(), /\$ kubectl get pods {4}# as of 0:00:0\d\.\d\nNo resources found in default namespace\.$/);
  assert.match(await page.locator('.statusbar .clock').innerText(), /Time 0:00:0\d/);
  await shot('08-time-travel');
  await page.click('.tl-controls button:has-text("Live")');
  await page.waitForSelector('.pod[data-pod="late"]');
  assert.equal(await page.locator('.past-badge').count(), 0);
  await reloadClean('time travel');
});

test('stopping a node from the map runs the command and the node goes NotReady', async () => {
  await page.selectOption('.tl-controls select', '60');
  await page.click('.node[data-node="worker-2"] .node-actions button:has-text("Stop")');
  assert.match(await terminalText(), /\$ podplay node stop worker-2\nnode\/worker-2 stopped/);
  await page.waitForFunction(() => document.querySelector('.node[data-node="worker-2"] .badge')?.textContent === 'NotReady', null, { timeout: 20000 });
  await run('kubectl get nodes');
  assert.match(await lastOutput(), /worker-2\s+NotReady/);
  await shot('09-node-stopped');
  await reloadClean('node stop');
});

test('kubectl exec -it and run -it open a shell in the container', async () => {
  await run('kubectl run shell --image=busybox -- sleep 3600');
  await run('sleep 10');
  await run('kubectl exec -it shell -- sh');
  assert.equal((await page.locator('.term-input .prompt').innerText()).trim(), '/ #');
  await run('echo hello > /tmp/x');
  await run('cat /tmp/x');
  assert.match(await terminalText(), /\/ # cat \/tmp\/x\nhello$/);
  await run('exit');
  assert.equal((await page.locator('.term-input .prompt').innerText()).trim(), '$');
  await run('kubectl run -it --rm tmp --image=busybox -- sh');
  assert.match(await terminalText(), /If you don't see a command prompt, try pressing enter\./);
  await run('hostname');
  assert.match(await terminalText(), /\/ # hostname\ntmp$/);
  await run('exit');
  await page.waitForFunction(() => document.querySelector('.term-log').innerText.includes('pod "tmp" deleted'));
  assert.match(await terminalText(), /Session ended, resume using 'kubectl attach tmp -c tmp -i -t' command when the pod is running\npod "tmp" deleted/);
  await shot('10-shells');
  await reloadClean('shells');
});

test('a here-document typed in the terminal writes a workspace file the editor opens', async () => {
  for (const l of ['cat <<EOF > web.yaml', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: heredoc', 'spec:',
    '  containers:', '  - name: web', '    image: nginx', 'EOF']) {
    await run(l);
  }
  await page.waitForSelector('.file-tab button[title="web.yaml"]');
  await run('kubectl apply -f web.yaml');
  assert.equal(await lastOutput(), 'pod/heredoc created');
  await page.click('.file-tab button[title="web.yaml"]');
  await page.waitForFunction(() => document.querySelector('.cm-content').innerText.includes('name: heredoc'));
  await reloadClean('here-document');
});

test('panes resize with the splitters and collapse', async () => {
  const editor = page.locator('.pane-editor');
  const before = (await editor.boundingBox()).height;
  await page.click('.pane-terminal .pane-head button');
  assert.equal(await page.locator('.pane-terminal .pane-body').isHidden(), true);
  assert.ok((await editor.boundingBox()).height > before + 100, 'the editor takes the freed space');
  await page.click('.pane-terminal .pane-head button');
  // The column splitter, from the keyboard and with the mouse.
  const split = page.locator('.split-v');
  const width0 = (await editor.boundingBox()).width;
  await split.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await split.getAttribute('aria-valuenow'), '50');
  const box = await split.boundingBox();
  await page.mouse.move(box.x + 3, box.y + 100);
  await page.mouse.down();
  await page.mouse.move(box.x + 203, box.y + 100, { steps: 4 });
  await page.mouse.up();
  assert.ok((await editor.boundingBox()).width > width0 + 150, 'dragging widens the left column');
  await shot('11-resized');
  await reloadClean('resize');
});

test('phone size and dark theme stay usable', async () => {
  const phone = await newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await load(phone);
  await phone.click('.phone-tabs button:has-text("Terminal")');
  await run('kubectl get nodes', phone);
  assert.match(await lastOutput(phone), /control-plane\s+Ready\s+control-plane/);
  await shot('12-phone-dark-terminal', phone);
  await phone.click('.phone-tabs button:has-text("Cluster map")');
  await shot('13-phone-dark-map', phone);
  // The interface in Simplified Chinese; kubectl's output stays as kubectl prints it.
  await phone.selectOption('.toolbar select[aria-label="Language"]', 'zh');
  await phone.waitForSelector('.phone-tabs button:has-text("终端")');
  assert.equal(await phone.getAttribute('html', 'lang'), 'zh-CN');
  await phone.click('.phone-tabs button:has-text("终端")');
  await run('kubectl get nodes', phone);
  assert.match(await lastOutput(phone), /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
  await shot('13-phone-dark-chinese', phone);
  await phone.close();
  assert.deepEqual(problems, []);
});

test('the whole tutorial typed into the terminal prints what `podplay run` prints', async () => {
  const script = path.join(root, 'tests', 'sessions', 'tutorial.sh');
  const cli = path.join(root, 'target', 'debug', 'podplay');
  assert.ok(fs.existsSync(cli), 'cargo test built target/debug/podplay');
  const { spawnSync } = await import('node:child_process');
  // The tutorial shows four commands failing on purpose, so `podplay run` exits 1 and says so.
  const cliRun = spawnSync(cli, ['run', script, '--seed', '1'], { cwd: path.dirname(script), encoding: 'utf8' });
  assert.equal(cliRun.status, 1);
  assert.match(cliRun.stderr, /4 commands failed \(lines 24, 34, 35, 36\)/);
  const expected = cliRun.stdout;
  const p = await newPage();
  await p.goto(`${base}?paused`);
  await load(p, false);
  for (const line of fs.readFileSync(script, 'utf8').split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    await run(line, p);
  }
  const lines = await p.evaluate(() => [...document.querySelectorAll('.term-log > div')].map((d) => d.textContent));
  const got = lines.slice(1).map((l) => (l === ' ' ? '' : l)).join('\n');
  const want = expected.replace(/\n$/, '');
  if (got !== want) {
    const g = got.split('\n');
    const w = want.split('\n');
    const i = g.findIndex((l, k) => l !== w[k]);
    assert.fail(`first difference at line ${i + 1}:\n  page: ${JSON.stringify(g[i])}\n  cli:  ${JSON.stringify(w[i])}`);
  }
  await shot('14-tutorial', p);
  await p.close();
  assert.deepEqual(problems, []);
});

test('a share link replays the session: same `get pods -o wide` and the same timeline', async () => {
  const a = await newPage();
  await a.goto(`${base}?paused`);
  await load(a, false);
  await run('kubectl apply -f examples/examplepod.yml', a);
  await run('kubectl run web --image=nginx', a);
  await run('sleep 30', a);
  await run('kubectl get pods -o wide', a);
  const wide = await lastOutput(a);
  assert.match(wide, /examplepod\s+1\/1\s+Running/);
  // Every lane of the timeline with its segments, their kinds and their places.
  const lanes = async (p) => p.evaluate(() => [...document.querySelectorAll('.lane')].map((l) => `${l.dataset.lane}: ${[...l.querySelectorAll('.seg')].map((g) => `${g.className}@${g.getAttribute('style')}`).join(', ')}`));
  const lanesA = await lanes(a);
  assert.ok(lanesA.length >= 2 && lanesA.join('').includes('seg'), JSON.stringify(lanesA));
  await a.click('#share');
  await a.waitForFunction(() => location.hash.startsWith('#s=v1.'));
  const link = a.url();
  assert.match(await terminalText(a), /Share link/);
  await shot('15-share-link', a);

  const b = await newPage();
  await b.goto(link);
  await load(b, false);
  const text = await terminalText(b);
  assert.match(text, /Opened a shared session/);
  assert.ok(text.includes(wide.trimEnd()), 'the replayed transcript shows the same output');
  await run('kubectl get pods -o wide', b);
  assert.equal(await lastOutput(b), wide);
  assert.deepEqual(await lanes(b), lanesA);
  await shot('16-share-opened', b);
  await a.close();
  await b.close();
  assert.deepEqual(problems, []);
});

test('a reload restores the workspace and the session', async () => {
  const p = await newPage({ keepStorage: true });
  await p.goto(`${base}?paused`);
  await load(p, false);
  await run("cat <<'EOF' > notes.yml", p);
  await run('kind: Note', p);
  await run('EOF', p);
  await run('kubectl run keep --image=nginx', p);
  await run('sleep 10', p);
  await p.reload();
  await load(p, false);
  const text = await terminalText(p);
  assert.match(text, /Restored your last session/);
  assert.match(text, /\$ kubectl run keep --image=nginx\npod\/keep created/);
  assert.ok(await p.locator('.file-tab', { hasText: 'notes.yml' }).count() > 0, 'the file tab is back');
  await run('kubectl get pods', p);
  assert.match(await lastOutput(p), /keep\s+1\/1\s+Running\s+0\s+10s/);
  await shot('17-restored', p);
  await p.close();
  assert.deepEqual(problems, []);
});

test('a damaged link and damaged saved data each leave a fresh playground with a message', async () => {
  const p = await newPage({ keepStorage: true });
  await p.goto(`${base}#s=v1.this-is-not-a-session`);
  await load(p, false);
  assert.match(await terminalText(p), /The link could not be opened, so this is a fresh playground\. This link is damaged/);
  await run('kubectl get pods', p);
  assert.match(await lastOutput(p), /No resources found/);
  await p.evaluate(() => { localStorage.setItem('podplay.session', 'junk that is no session'); });
  await p.goto(base);
  await load(p, false);
  assert.match(await terminalText(p), /The saved session could not be read; it was set aside/);
  assert.equal(await p.evaluate(() => localStorage.getItem('podplay.session.broken')), 'junk that is no session');
  await shot('18-damaged', p);
  await p.close();
  assert.deepEqual(problems, []);
});

test('after one visit the playground loads and works with no network, and is installable', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const p = await ctx.newPage();
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await p.goto(base);
  await load(p, false);
  // The service worker has cached this build and controls the page.
  await p.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  const manifest = await p.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]');
    return (await fetch(link.href)).json();
  });
  assert.equal(manifest.short_name, 'podplay');
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.icons.length > 0);
  await ctx.setOffline(true);
  await p.reload();
  await load(p, false);
  await run('kubectl apply -f examples/examplepod.yml', p);
  assert.match(await lastOutput(p), /pod\/examplepod created/);
  await run('sleep 30', p);
  await run('kubectl get pods', p);
  assert.match(await lastOutput(p), /examplepod\s+1\/1\s+Running/);
  await shot('19-offline', p);
  await ctx.close();
  assert.deepEqual(problems, []);
});

test('the docs example page shows three independent playgrounds', async () => {
  const p = await newPage({ keepStorage: true });
  await p.goto(`${base}docs-example.html`);
  await p.waitForFunction(() => document.querySelectorAll('iframe.podplay-frame').length === 3);
  const frames = [];
  for (const el of await p.$$('iframe.podplay-frame')) {
    await el.scrollIntoViewIfNeeded();
    const f = await el.contentFrame();
    await f.waitForSelector('#term-input', { state: 'attached', timeout: 20000 });
    await f.waitForSelector('.cm-editor', { state: 'attached' });
    frames.push(f);
  }
  // 1: the manifest is in the editor; Apply creates the pod in this playground only.
  await frames[0].click('button.primary');
  await frames[0].waitForFunction(() => document.querySelector('.term-log').innerText.includes('pod/examplepod created'));
  // 2 and 3: their scripts ran when they opened.
  assert.match(await terminalText(frames[1]), /pod\/examplepodforinitcontainer created/);
  assert.match(await terminalText(frames[2]), /pod\/examplepodforliveness created/);
  await run('kubectl get pods -o name', frames[1]);
  assert.equal((await lastOutput(frames[1])).trim(), 'pod/examplepodforinitcontainer');
  // Compact: the map starts folded, and each has a link to the full playground.
  assert.equal(await frames[0].locator('.pane-map.collapsed').count(), 1);
  assert.equal(await frames[0].locator('#open-full').count(), 1);
  // Embeds never overwrite the learner's own saved session.
  assert.equal(await p.evaluate(() => localStorage.getItem('podplay.session')), null);
  await p.locator('iframe.podplay-frame').first().scrollIntoViewIfNeeded();
  await shot('20-docs-example', p);
  await p.close();
  assert.deepEqual(problems, []);
});

test('a lesson step ticks itself off when the learner has done it', async () => {
  const p = await newPage();
  await p.goto(`${base}?paused`);
  await load(p, false);
  await p.selectOption('#lessons', 'create-and-inspect');
  await p.waitForSelector('.lesson-panel');
  assert.match(await p.locator('.lesson-panel').innerText(), /Create and inspect a pod/);
  assert.equal(await p.locator('.lesson-steps li.done').count(), 0);
  await p.waitForFunction(() => document.querySelector('.file-tab.active')?.textContent.includes('examplepod.yml'));
  await p.click('button.primary');
  await p.waitForFunction(() => document.querySelectorAll('.lesson-steps li.done').length === 1);
  await run('sleep 30', p);
  await run('kubectl get pods', p);
  await run('kubectl logs examplepod', p);
  await p.waitForFunction(() => document.querySelectorAll('.lesson-steps li.done').length === 3);
  assert.match(await p.locator('.lesson-count').innerText(), /3\/5/);
  // The lesson travels in a share link.
  await p.click('#share');
  const link = p.url();
  const q = await newPage();
  await q.goto(link);
  await load(q, false);
  await q.waitForSelector('.lesson-panel');
  assert.equal(await q.locator('.lesson-steps li.done').count(), 3);
  await shot('21-lesson', p);
  await p.close();
  await q.close();
  assert.deepEqual(problems, []);
});
