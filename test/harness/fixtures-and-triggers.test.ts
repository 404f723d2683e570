import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeType, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { DOUBLE_TYPE, HarnessLoginApi, LOGIN_CREDENTIAL_TYPE, exampleNodeTypes } from './example-nodes';
import { chain, loadWorkflowFixture, MANUAL_TRIGGER_TYPE, runWorkflow, runWorkflowFile } from './n8n-harness';

const fixtures = join(__dirname, '..', 'fixtures', 'harness');
const nodeTypes = exampleNodeTypes();

describe('workflow JSON fixtures in n8n export format', () => {
  it("runs an export that starts with n8n's Manual Trigger", async () => {
    const run = await runWorkflowFile(join(fixtures, 'manual-trigger-double.json'), { nodeTypes });

    expect(run.status).toBe('success');
    expect(run.items('When clicking ‘Execute workflow’')).toEqual([{}]);
    expect(run.items('Double')).toEqual([{ doubled: 42 }]);
    expect(run.items('Parity', 0)).toEqual([{ doubled: 42 }]);
    expect(run.items('Parity', 1)).toEqual([]);
  });

  it('runs an export with a start node, onError and a credential reference', async () => {
    const run = await runWorkflowFile(join(fixtures, 'start-items-login.json'), {
      nodeTypes,
      credentials: { [LOGIN_CREDENTIAL_TYPE]: { host: 'fixture.example', user: 'carol', password: 'pw' } },
      credentialTypes: [new HarnessLoginApi()],
    });

    expect(run.status).toBe('success');
    expect(run.items('Strict')).toEqual([{ n: 4 }, { error: 'Field "n" must be a number, got string' }]);
    expect(run.items('Echo')).toHaveLength(2);
    expect(run.items('Echo')[0]).toEqual({ host: 'fixture.example', port: 2775, user: 'carol', passwordLength: 2 });
    expect(run.credentialRequests).toEqual([{ type: LOGIN_CREDENTIAL_TYPE, id: 'Zx81HarnessCred', name: 'Harness login account' }]);
  });

  it("lets inputItems replace the fixture's start items", async () => {
    const run = await runWorkflowFile(join(fixtures, 'start-items-login.json'), {
      nodeTypes,
      credentials: { [LOGIN_CREDENTIAL_TYPE]: { password: 'pw' } },
      inputItems: [{ n: 8 }],
    });

    expect(run.items('Strict')).toEqual([{ n: 8 }]);
  });

  it('honours pinned data as n8n does: the pinned node does not run, its pin is its output', async () => {
    const run = await runWorkflowFile(join(fixtures, 'manual-trigger-double.json'), {
      nodeTypes,
      pinData: { Double: [{ json: { n: 3, doubled: 7 } }] },
    });

    expect(run.status).toBe('success');
    expect(run.items('Parity', 1)).toEqual([{ n: 3, doubled: 7 }]);
  });

  describe('loadWorkflowFixture', () => {
    const folder = mkdtempSync(join(tmpdir(), 'harness-fixture-test-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    function writeFixture(name: string, content: unknown): string {
      const path = join(folder, name);
      writeFileSync(path, JSON.stringify(content));
      return path;
    }

    it('reads the nodes and connections of a one-workflow array export', () => {
      const path = writeFixture('array.json', [
        { name: 'W', nodes: [{ name: 'A', type: DOUBLE_TYPE, typeVersion: 1, parameters: { value: 1 } }], connections: {} },
      ]);

      expect(loadWorkflowFixture(path)).toEqual({
        name: 'W',
        nodes: [{ name: 'A', type: DOUBLE_TYPE, typeVersion: 1, parameters: { value: 1 } }],
        connections: {},
      });
    });

    it('names the field and the node when a node is malformed', () => {
      const path = writeFixture('bad.json', { nodes: [{ name: 'A', type: 'x', typeVersion: '1' }], connections: {} });

      expect(() => loadWorkflowFixture(path)).toThrow(`${path}: nodes[0].typeVersion must be a number (node "A")`);
    });

    it('refuses an export that holds several workflows', () => {
      const path = writeFixture('two.json', [{}, {}]);

      expect(() => loadWorkflowFixture(path)).toThrow(`${path}: expected one workflow, found 2`);
    });
  });
});

/** A trigger like our SMS Trigger: emits when its source fires, closes when n8n is done. */
function eventTrigger(source: EventEmitter): INodeType {
  return {
    description: {
      displayName: 'Event Trigger',
      name: 'eventTrigger',
      group: ['trigger'],
      version: 1,
      description: 'Emits an item per event',
      defaults: { name: 'Event Trigger' },
      inputs: [],
      outputs: [NodeConnectionTypes.Main],
      properties: [],
    },
    async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
      const onMessage = (text: string): void => this.emit([this.helpers.returnJsonArray([{ text }])]);
      source.on('message', onMessage);
      source.emit('listening');
      const closeFunction = async (): Promise<void> => {
        source.off('message', onMessage);
        source.emit('closed');
      };
      return { closeFunction };
    },
  };
}

describe('trigger nodes in a manual run', () => {
  it('waits for the first emitted event, runs the rest of the workflow on it, then closes the trigger', async () => {
    const source = new EventEmitter();
    const listening = once(source, 'listening');
    const closed = once(source, 'closed');
    const running = runWorkflow({
      nodes: [
        { name: 'Inbound', type: 'test.eventTrigger', parameters: {} },
        { name: 'Double', type: DOUBLE_TYPE, parameters: { value: '={{ $json.text.length }}' } },
      ],
      connections: chain('Inbound', 'Double'),
      nodeTypes: { ...nodeTypes, 'test.eventTrigger': eventTrigger(source) },
    });

    await listening;
    source.emit('message', 'hello');
    const run = await running;
    await closed;

    expect(run.status).toBe('success');
    expect(run.items('Inbound')).toEqual([{ text: 'hello' }]);
    expect(run.items('Double')).toEqual([{ text: 'hello', doubled: 10 }]);
    expect(source.listenerCount('message')).toBe(0);
  });

  it('knows n8n-nodes-base.manualTrigger without the test registering it', async () => {
    const run = await runWorkflow({
      nodes: [
        { name: 'Manual', type: MANUAL_TRIGGER_TYPE, parameters: {} },
        { name: 'Double', type: DOUBLE_TYPE, parameters: { value: 2 } },
      ],
      connections: chain('Manual', 'Double'),
      nodeTypes,
    });

    expect(run.items('Double')).toEqual([{ doubled: 4 }]);
  });
});
