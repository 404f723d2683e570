/** A sandbox SMSC, a bound transport and an InboundPipeline collecting its events: the carrier path over real TCP. */
import { compileEventFilter } from '../../../src/inbound/event-filter';
import type { EventFilterOptions } from '../../../src/inbound/event-filter';
import type { InboundEvent } from '../../../src/inbound/inbound-event';
import { InboundPipeline } from '../../../src/inbound/inbound-pipeline';
import type { InboundPipelineOptions } from '../../../src/inbound/inbound-pipeline';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import type { SandboxOptions } from '../../../src/sandbox/types';
import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import type { SmppTransportOptions } from '../../../src/transport/smpp/types';
import { sandboxTransportOptions, startSandbox, waitFor } from '../../support/sandbox';

export interface PipelineFixture {
  smsc: SandboxSmsc;
  transport: SmppTransport;
  pipeline: InboundPipeline;
  events: InboundEvent[];
  /** Waits until at least n events arrived. */
  eventCount(n: number, what?: string): Promise<InboundEvent[]>;
  stop(): Promise<void>;
}

export async function startPipelineFixture(
  options: {
    sandbox?: SandboxOptions;
    transport?: Partial<SmppTransportOptions>;
    filter?: Partial<EventFilterOptions>;
    pipeline?: Partial<InboundPipelineOptions>;
  } = {},
): Promise<PipelineFixture> {
  const smsc = await startSandbox(options.sandbox);
  const transport = new SmppTransport(sandboxTransportOptions(smsc, options.transport));
  await transport.start();
  const events: InboundEvent[] = [];
  const pipeline = new InboundPipeline({
    smsc: transport.label,
    source: 'carrier',
    filter: compileEventFilter({ eventTypes: ['message', 'receipt'], ...options.filter }),
    deliver: async (event) => void events.push(event),
    ...options.pipeline,
  });
  transport.addInboundHandler(pipeline.handleDeliver);
  return {
    smsc,
    transport,
    pipeline,
    events,
    eventCount: async (n, what = `${n} event(s)`) => {
      await waitFor(() => events.length >= n, what);
      return events;
    },
    stop: async () => {
      pipeline.close();
      await transport.close(500);
      await smsc.stop();
    },
  };
}
