/**
 * One entry-file convention for every node (CONTRIBUTING.md, "Add a node operation"): each
 * operation a node's description offers is in `<operation>.operation.ts`, named after its value in
 * kebab-case (for a node with resources `<resource>-<operation>.operation.ts`) and exports the
 * function named for it: the operation verb first, then the resource, maybe plural or with one
 * noun (`getDeliveryStatus`, `cancelCellBroadcasts`, `cancelVerifications`); every
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

/** Each operation of the description: the file it belongs in, and the name its function starts with. */
function expectedOperations(node: INodeType): Map<string, string> {
  const { properties } = node.description;
  const hasResources = properties.some((property) => property.name === 'resource');
  const operations = new Map<string, string>();
  for (const property of properties.filter((p) => p.name === 'operation' && p.type === 'options')) {
    const resources = hasResources ? ((property.displayOptions?.show?.resource as string[] | undefined) ?? []) : [''];
    for (const resource of resources) {
      for (const operation of valuesOf(property)) {
        const file = `${resource ? `${kebab(resource)}-` : ''}${kebab(operation)}.operation.ts`;
        operations.set(file, `${operation}${resource.charAt(0).toUpperCase()}${resource.slice(1)}`);
      }
    }
  }
  return operations;
}

function expectedOperationFiles(node: INodeType): string[] {
  return [...expectedOperations(node).keys()].sort();
}

/** `cancelCellBroadcast` names `cancelCellBroadcast`, `cancelCellBroadcasts`, `cancelCellBroadcastAlerts`; not `cancelCellBroadcastOfItems`. */
function namedFor(stem: string, name: string): boolean {
  return new RegExp(`^${stem}(?:e?s|[A-Z][a-z]*)?$`).test(name);
}

/** The names of the functions a node file exports. */
function exportedFunctions(node: string, file: string): string[] {
  // A require, not an import: which files to load is found at run time.
  const exported = require(path.join(NODES_DIR, node, file)) as Record<string, unknown>;
  return Object.keys(exported).filter((key) => typeof exported[key] === 'function');
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

  it.each(Object.keys(NODES))('%s: each <operation>.operation.ts exports the function named for its operation', (name) => {
    for (const [file, stem] of expectedOperations(NODES[name])) {
      const exports = exportedFunctions(name, file);
      expect({ file, exports, namedFor: exports.some((fn) => namedFor(stem, fn)) }).toEqual({ file, exports, namedFor: true });
    }
  });

  it('tells a name made for the operation from one that is not', () => {
    expect(namedFor('send', 'sendMessages')).toBe(true);
    expect(namedFor('authenticatorStatus', 'authenticatorStatuses')).toBe(true);
    expect(namedFor('cancelCellBroadcast', 'cancelCellBroadcasts')).toBe(true);
    expect(namedFor('send', 'sendSmsItems')).toBe(false);
    expect(namedFor('sendSms', 'executeBroadcast')).toBe(false);
    expect(namedFor('sendSmsCode', 'issueSmsCodes')).toBe(false);
    expect(namedFor('sendBoth', 'sendCellBroadcastAndSms')).toBe(false);
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
