import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * Wireshark's SMPP dissector as an independent decoder of what went over the loopback: a capture
 * with tshark while a test sends, then the capture read back as JSON. Needs `tshark` (Debian's
 * package) and the right to capture on `lo` (root, or the wireshark group's dumpcap).
 */

/** Why tshark cannot be used here, or null when it can. */
export function tsharkUnavailable(): string | null {
  const version = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'tshark is not installed (apt-get install tshark)';
  const interfaces = spawnSync('tshark', ['-D'], { encoding: 'utf8' });
  if (!/\blo\b/.test(interfaces.stdout ?? '')) return 'tshark may not capture on the loopback interface here';
  return null;
}

export interface Capture {
  /** Stops capturing once the last packets are written; resolves with the pcap file's path. */
  stop(): Promise<string>;
}

/**
 * Starts capturing the loopback; resolves once packets are really being captured. tshark says
 * "Capturing on" a few seconds before its dumpcap sees packets (measured here: a connection made
 * right after the message was missing from the file), so readiness is proven with a probe: a
 * connection to a throwaway server, repeated until tshark prints a packet of it.
 */
export async function captureLoopback(): Promise<Capture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smpp-capture-'));
  const file = path.join(dir, 'capture.pcapng');
  // No capture filter: on this VM a BPF filter on `lo` ("tcp port N") let no packet through, so
  // everything on the loopback is captured (for the seconds a test takes, at most 120 s) and the
  // port is picked when the capture is read. -P prints packets too, for the probe below.
  const child = spawn('tshark', ['-i', 'lo', '-w', file, '-P', '-a', 'duration:120'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const probe = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const probePort = (probe.address() as net.AddressInfo).port;
  let output = '';
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const onData = (chunk: Buffer): void => {
    // Keep only the tail: the loopback of a shared machine carries other traffic too.
    output = (output + chunk.toString()).slice(-4096);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  try {
    const deadline = Date.now() + 30_000;
    while (!output.includes(`${probePort}`)) {
      if (exited) throw new Error(`tshark exited before capturing: ${output}`);
      if (Date.now() > deadline) throw new Error(`tshark did not capture a probe connection within 30 s: ${output}`);
      net.connect(probePort, '127.0.0.1').on('error', () => undefined);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    child.kill('SIGINT');
    throw err;
  } finally {
    probe.close();
  }
  child.stdout.off('data', onData);
  child.stdout.resume();
  return {
    stop: async () => {
      // A moment for the kernel to hand tshark the last packets before it is told to stop.
      await new Promise((r) => setTimeout(r, 300));
      const done = exited ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT');
      await done;
      return file;
    },
  };
}

export interface DissectedTlv {
  tag: number;
  length: number;
  /** A vendor-specific TLV's value octets as the dissector shows them (`smpp.vendor_op`), in hex; undefined for standard tags. */
  vendorHex?: string;
}

export interface DissectedPdu {
  commandId: number;
  sequence: number;
  serviceType: string;
  destination: string;
  tlvs: DissectedTlv[];
}

type JsonTree = Record<string, unknown>;

/** How many times `key` appears anywhere in a tshark JSON tree. */
function count(tree: unknown, key: string): number {
  if (Array.isArray(tree)) return tree.reduce((n: number, t) => n + count(t, key), 0);
  if (!tree || typeof tree !== 'object') return 0;
  return Object.entries(tree).reduce((n, [k, v]) => n + (k === key ? 1 : 0) + count(v, key), 0);
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Reads a capture, decoding TCP `port` as SMPP: every SMPP PDU in it (several may share a
 * segment), and how many packets the dissector marked malformed.
 */
export function dissectSmpp(file: string, port: number): { pdus: DissectedPdu[]; malformed: number } {
  const run = spawnSync('tshark', ['-r', file, '-d', `tcp.port==${port},smpp`, '-Y', `tcp.port==${port}`, '-T', 'json', '--no-duplicate-keys'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`tshark -r failed: ${run.stderr}`);
  const packets = JSON.parse(run.stdout || '[]') as Array<{ _source: { layers: JsonTree } }>;
  const pdus: DissectedPdu[] = [];
  let malformed = 0;
  for (const packet of packets) {
    const layers = packet._source.layers;
    malformed += count(layers, '_ws.malformed');
    for (const pdu of asList(layers.smpp as JsonTree | JsonTree[] | undefined)) {
      const params = asList((pdu['smpp.opt_params'] as JsonTree | undefined)?.['smpp.opt_param'] as JsonTree | JsonTree[] | undefined);
      pdus.push({
        commandId: Number(pdu['smpp.command_id']),
        sequence: Number(pdu['smpp.sequence_number']),
        serviceType: String(pdu['smpp.service_type'] ?? ''),
        destination: String(pdu['smpp.destination_addr'] ?? ''),
        tlvs: params.map((param) => {
          const tlv: DissectedTlv = { tag: Number(param['smpp.opt_param_tag']), length: Number(param['smpp.opt_param_len']) };
          if (typeof param['smpp.vendor_op'] === 'string') tlv.vendorHex = param['smpp.vendor_op'].replace(/:/g, '');
          return tlv;
        }),
      });
    }
  }
  return { pdus, malformed };
}
