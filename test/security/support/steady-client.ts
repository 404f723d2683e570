import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import type { SmppTransportOptions } from '../../../src/transport/smpp/types';
import { simpleSubmit } from '../../support/messages';

/**
 * A well-behaved ESME (our own transport) that keeps submitting while a test abuses the same
 * server on other connections: its progress and its failures show whether the abuse spilled over.
 */
export class SteadyClient {
  acked = 0;
  readonly failures: string[] = [];
  private running = true;
  private loop: Promise<void> = Promise.resolve();

  private constructor(readonly transport: SmppTransport) {}

  static async start(options: SmppTransportOptions): Promise<SteadyClient> {
    const client = new SteadyClient(new SmppTransport(options));
    await client.transport.start();
    client.loop = client.run();
    return client;
  }

  private async run(): Promise<void> {
    let i = 0;
    while (this.running) {
      try {
        const result = await this.transport.submit(simpleSubmit('447700900777', `steady ${i++}`));
        if (!result.messageId) this.failures.push(`empty message id for submit ${i}`);
        else this.acked++;
      } catch (err) {
        this.failures.push((err as Error).message);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  /** Resolves once `count` more submits were acknowledged (fails after timeoutMs). */
  async waitForMore(count: number, timeoutMs = 15_000): Promise<void> {
    const target = this.acked + count;
    const deadline = Date.now() + timeoutMs;
    while (this.acked < target) {
      if (Date.now() > deadline)
        throw new Error(
          `the well-behaved client made only ${this.acked - target + count} of ${count} submits (failures: ${this.failures.slice(-3).join(' | ')})`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.transport.close(500);
  }
}
