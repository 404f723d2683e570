/**
 * One entry-file convention for every node (CONTRIBUTING.md, "Add a node operation"): each
 * operation a node's description offers is in `<operation>.operation.ts`, named after its value in
 * kebab-case (for a node with resources `<resource>-<operation>.operation.ts`); every
 * `*.operation.ts` is such an operation; a trigger node's start is one `*.trigger.ts`; and
 * nodes/shared/ holds one folder per concern, no loose files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { INodeProperties, INodeType } from 'n8n-workflow';
import { BulkAlertBroadcast } from '../../nodes/BulkAlertBroadcast/BulkAlertBroadcast.node';
import { OtpIssue } from '../../nodes/OtpIssue/OtpIssue.node';
import { OtpVerify } from '../../nodes/OtpVerify/OtpVerify.node';
import { SendSms } from '../../nodes/SendSms/SendSms.node';
import { SmsTrigger } from '../../nodes/SmsTrigger/SmsTrigger.node';

const NODES_DIR = path.resolve(__dirname, '../../nodes');
const NODES: Record<string, INodeType> = {
  SendSms: new SendSms(),
  BulkAlertBroadcast: new BulkAlertBroadcast(),
  OtpIssue: new OtpIssue(),
  OtpVerify: new OtpVerify(),
  SmsTrigger: new SmsTrigger(),
};

function kebab(value: string): string {
  return value.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function valuesOf(property: INodeProperties): string[] {
  return (property.options ?? []).map((option) => String((option as { value: unknown }).value));
}

/** The file each operation of the description belongs in. */
function expectedOperationFiles(node: INodeType): string[] {
  const { properties } = node.description;
  const hasResources = properties.some((property) => property.name === 'resource');
  const files = new Set<string>();
  for (const property of properties.filter((p) => p.name === 'operation' && p.type === 'options')) {
    const resources = hasResources ? ((property.displayOptions?.show?.resource as string[] | undefined) ?? []) : [''];
    for (const resource of resources) {
      for (const operation of valuesOf(property)) files.add(`${resource ? `${kebab(resource)}-` : ''}${kebab(operation)}.operation.ts`);
    }
  }
  return [...files].sort();
}

function filesIn(node: string, suffix: string): string[] {
  return fs
    .readdirSync(path.join(NODES_DIR, node))
    .filter((file) => file.endsWith(suffix))
    .sort();
}

describe('node entry files', () => {
  it.each(Object.keys(NODES))('%s: one <operation>.operation.ts per operation, and no other', (name) => {
    const node = NODES[name];
    const isTrigger = node.description.group.includes('trigger');
    expect(filesIn(name, '.operation.ts')).toEqual(isTrigger ? [] : expectedOperationFiles(node));
    expect(filesIn(name, '.trigger.ts')).toHaveLength(isTrigger ? 1 : 0);
  });

  it('reads the operations it checks', () => {
    expect(expectedOperationFiles(NODES.SendSms)).toContain('get-delivery-status.operation.ts');
    expect(expectedOperationFiles(NODES.BulkAlertBroadcast)).toEqual(expect.arrayContaining(['sms-send.operation.ts', 'cell-broadcast-query.operation.ts']));
  });

  it('nodes/shared/ holds folders only, one per concern', () => {
    const loose = fs
      .readdirSync(path.join(NODES_DIR, 'shared'), { withFileTypes: true })
      .filter((entry) => !entry.isDirectory())
      .map((entry) => entry.name);
    expect(loose).toEqual([]);
  });
});
