// Minimal typings for the parts of `smpp` 0.5.1 we use (the package ships none). A .ts file, not
// .d.ts, so that the build emits it as dist/src/types/smpp.d.ts: the published index.d.ts refers to
// it, and TypeScript consumers of the core API need it (test/e2e/package/consumer-types.test.ts).
declare module 'smpp' {
  import { EventEmitter } from 'events';

  export interface SmppCommandDef {
    id: number;
    command: string;
    params?: Record<string, unknown>;
  }
  export interface SmppTlvDef {
    id: number;
    tag: string;
    /** One of `types.tlv` (int8, int16, int32, cstring, string, buffer). */
    type?: unknown;
  }

  /** A decoded PDU: header fields plus the command's parameters and TLVs as properties. */
  export class PDU {
    constructor(command: string | Buffer, options?: Record<string, unknown>);
    command: string;
    command_length: number;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
    static maxLength: number;
  }

  export class Session extends EventEmitter {
    constructor(options: Record<string, unknown>);
    socket: import('net').Socket;
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    // Shortcuts generated per command (submit_sm, bind_transceiver, ...).
    [command: string]: unknown;
  }

  export function connect(options: Record<string, unknown>, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): import('net').Server;

  export const commands: Record<string, SmppCommandDef>;
  export const commandsById: Record<number, SmppCommandDef>;
  export const tlvs: Record<string, SmppTlvDef>;
  export const tlvsById: Record<number, SmppTlvDef>;
  /** The value codecs of the TLV table, compared by identity with `SmppTlvDef.type`. */
  export const types: { tlv: Record<'int8' | 'int16' | 'int32' | 'cstring' | 'string' | 'buffer', unknown> };
  export const errors: Record<string, number>;
  export const consts: Record<string, Record<string, number>>;
}
