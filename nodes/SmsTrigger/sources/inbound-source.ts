import type { InboundPipeline } from '../../../src/inbound';

/** A running source of inbound PDUs feeding one trigger's pipeline. */
export interface InboundSource {
  close(): Promise<void>;
}

export interface SourceStartOptions {
  pipeline: InboundPipeline;
  /** The source died for good (e.g. reconnecting gave up): the trigger reports it with emitError. */
  onFatal(error: Error): void;
  /** Something was let go that the user should hear of (e.g. a receipt an application never took): a warning in n8n's log. */
  onWarning?(message: string): void;
}
