/**
 * Every node's description, as n8n reads it, against a copy saved before the shared description
 * blocks (nodes/shared/description/) replaced the literals each node wrote out: moving a block
 * must not change one parameter, credential slot or display condition of any version.
 *
 * A deliberate change to a description: run this file once with WRITE_DESCRIPTION_SNAPSHOT=1,
 * and commit the rewritten fixture with the change that explains it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { BulkAlertBroadcast } from '../../nodes/BulkAlertBroadcast/BulkAlertBroadcast.node';
import { OtpIssue } from '../../nodes/OtpIssue/OtpIssue.node';
import { OtpVerify } from '../../nodes/OtpVerify/OtpVerify.node';
import { SendSms } from '../../nodes/SendSms/SendSms.node';
import { SmsTrigger } from '../../nodes/SmsTrigger/SmsTrigger.node';

const FIXTURE = path.join(__dirname, 'fixtures', 'node-descriptions.json');
const NODES: INodeType[] = [new SendSms(), new BulkAlertBroadcast(), new OtpIssue(), new OtpVerify(), new SmsTrigger()];

/** What n8n receives of a description: its JSON (undefined values and functions are not sent). */
function serialised(description: INodeTypeDescription): unknown {
  return JSON.parse(JSON.stringify(description)) as unknown;
}

/** One description serves every version of these nodes; each version is listed so a split into versioned classes is seen. */
function current(): Record<string, { versions: number[]; description: unknown }> {
  const out: Record<string, { versions: number[]; description: unknown }> = {};
  for (const node of NODES) {
    const { version } = node.description;
    out[node.description.name] = { versions: Array.isArray(version) ? version : [version], description: serialised(node.description) };
  }
  return out;
}

describe('node descriptions', () => {
  if (process.env.WRITE_DESCRIPTION_SNAPSHOT === '1') {
    it('writes the snapshot', () => {
      fs.writeFileSync(FIXTURE, `${JSON.stringify(current(), null, 1)}\n`);
    });
    return;
  }

  const saved = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as ReturnType<typeof current>;

  it('covers every node, and no other', () => {
    expect(Object.keys(current()).sort()).toEqual(Object.keys(saved).sort());
  });

  it.each(NODES.map((node) => node.description.name))('%s: every version is described as in the saved snapshot', (name) => {
    expect(current()[name]).toStrictEqual(saved[name]);
  });

  it('serialises to the same JSON, key order included', () => {
    expect(JSON.stringify(current())).toBe(JSON.stringify(saved));
  });
});
