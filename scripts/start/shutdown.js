'use strict';
// How `npm start` ends, whatever ends it: Ctrl-C (SIGINT), SIGTERM from a process manager,
// `docker stop` or a test harness, SIGHUP from a closed terminal, or npm itself going away (npm
// passes SIGTERM to the shell it runs the script in, and the shell dies without passing it on).
// Armed before anything starts, so a signal during start-up stops what has started too: n8n runs
// in its own process group, so nothing else would stop it.

/** How often the parent process is looked for (npm, or the shell it runs the script in). */
const PARENT_POLL_MS = 1000;

class DemoShutdown {
  /** @param {{ say: (line: string) => void, exit?: (code: number) => void }} options */
  constructor({ say, exit = (code) => process.exit(code) }) {
    this.say = say;
    this.exit = exit;
    /** @type {{ stop: () => Promise<{ forced?: boolean } | null> } | null} the running demo */
    this.demo = null;
    /** @type {number | null} n8n's process id (its process group) while the demo starts */
    this.n8nPid = null;
    this.requested = null;
    this.parentWatch = null;
  }

  /** Signals and a parent watch; returns this. */
  arm() {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => this.request(signal));
    const parent = process.ppid;
    this.parentWatch = setInterval(() => {
      if (process.ppid !== parent) this.request(`the parent process (${parent}) is gone`);
    }, PARENT_POLL_MS);
    this.parentWatch.unref();
    // Dying some other way (an uncaught error): no n8n left running without its sandbox.
    process.on('exit', () => this.killN8n('SIGKILL'));
    return this;
  }

  /** The demo is up: a later request stops it; one that came while it started stops it now. */
  started(demo) {
    this.demo = demo;
    if (this.requested) void this.stopDemo();
  }

  request(reason) {
    if (this.requested) {
      this.say(`${reason} again: exiting without waiting`);
      this.killN8n('SIGKILL');
      this.exit(1);
      return;
    }
    this.requested = reason;
    if (this.demo) {
      void this.stopDemo();
      return;
    }
    if (this.n8nPid !== null) {
      // n8n is starting: stopping it makes the start fail, and the start's own clean-up stops the sandbox.
      this.say(`${reason}: stopping n8n and the sandbox while they start ...`);
      this.killN8n('SIGTERM');
      setTimeout(() => {
        this.killN8n('SIGKILL');
        this.exit(1);
      }, 20_000).unref();
      return;
    }
    // Nothing of ours runs yet outside this process (the sandbox, if started, ends with it).
    this.say(`${reason}: stopping`);
    this.exit(1);
  }

  async stopDemo() {
    this.say(`${this.requested}: stopping n8n and the sandbox ...`);
    try {
      const result = await this.demo.stop();
      this.n8nPid = null;
      this.say(result && result.forced ? 'n8n did not stop in time and was killed; sandbox stopped' : 'stopped');
      this.exit(0);
    } catch (error) {
      this.say(`could not stop cleanly: ${error.message}`);
      this.killN8n('SIGKILL');
      this.exit(1);
    }
  }

  killN8n(signal) {
    if (this.n8nPid === null) return;
    try {
      process.kill(process.platform === 'win32' ? this.n8nPid : -this.n8nPid, signal);
    } catch {
      // already gone
    }
  }
}

module.exports = { DemoShutdown };
