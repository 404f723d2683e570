import { DOUBLE_TYPE, PARITY_ROUTER_TYPE, STRICT_NUMBER_TYPE, TEXT_TO_BINARY_TYPE, exampleNodeTypes } from './example-nodes';
import { chain, connect, runWorkflow, START_NODE_NAME } from './n8n-harness';

const nodeTypes = exampleNodeTypes();

describe('runWorkflow through n8n-core WorkflowExecute', () => {
  it('runs a node whose parameter is an expression over each item', async () => {
    const run = await runWorkflow({
      nodes: [{ name: 'Double', type: DOUBLE_TYPE, parameters: { value: '={{ $json.n + 1 }}' } }],
      connections: chain('Start', 'Double'),
      nodeTypes,
      inputItems: [{ n: 1 }, { n: 20 }],
    });

    expect(run.status).toBe('success');
    expect(run.error).toBeUndefined();
    expect(run.items('Double')).toEqual([
      { n: 1, doubled: 4 },
      { n: 20, doubled: 42 },
    ]);
    expect(run.outputs('Double')[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    expect(run.executedNodes).toEqual([START_NODE_NAME, 'Double']);
  });

  it('resolves expressions that reach other nodes by name', async () => {
    const run = await runWorkflow({
      nodes: [
        { name: 'First', type: DOUBLE_TYPE, parameters: { value: '={{ $json.n }}' } },
        { name: 'Second', type: DOUBLE_TYPE, parameters: { value: "={{ $('First').item.json.doubled * 10 }}" } },
      ],
      connections: chain('Start', 'First', 'Second'),
      nodeTypes,
      inputItems: [{ n: 3 }],
    });

    expect(run.status).toBe('success');
    expect(run.items('Second')).toEqual([{ n: 3, doubled: 120 }]);
  });

  it('stops the workflow on a bad item with the node error message and item index', async () => {
    const run = await runWorkflow({
      nodes: [
        { name: 'Strict', type: STRICT_NUMBER_TYPE, parameters: {} },
        { name: 'Double', type: DOUBLE_TYPE, parameters: { value: 1 } },
      ],
      connections: chain('Start', 'Strict', 'Double'),
      nodeTypes,
      inputItems: [{ n: 1 }, { n: 'two' }, { n: 3 }],
    });

    expect(run.status).toBe('error');
    expect(run.error).toMatchObject({
      message: 'Field "n" must be a number, got string',
      description: 'Give every item a numeric "n"',
      node: 'Strict',
      itemIndex: 1,
    });
    expect(run.error?.name).toBe('NodeOperationError');
    expect(run.nodeError('Strict')).toMatchObject({ name: 'NodeOperationError', itemIndex: 1 });
    expect(run.ran('Double')).toBe(false);
  });

  it('turns a bad item into an error item on continueOnFail while the others go through', async () => {
    const run = await runWorkflow({
      nodes: [{ name: 'Strict', type: STRICT_NUMBER_TYPE, parameters: {}, continueOnFail: true }],
      connections: chain('Start', 'Strict'),
      nodeTypes,
      inputItems: [{ n: 1 }, { n: 'two' }, { n: 3 }],
    });

    expect(run.status).toBe('success');
    expect(run.items('Strict')).toEqual([{ n: 1 }, { error: 'Field "n" must be a number, got string' }, { n: 3 }]);
    expect(run.outputs('Strict')[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
  });

  it("routes error items to n8n's error output with onError continueErrorOutput", async () => {
    const run = await runWorkflow({
      nodes: [{ name: 'Strict', type: STRICT_NUMBER_TYPE, parameters: {}, onError: 'continueErrorOutput' }],
      connections: chain('Start', 'Strict'),
      nodeTypes,
      inputItems: [{ n: 1 }, { n: null }],
    });

    expect(run.status).toBe('success');
    expect(run.items('Strict', 0)).toEqual([{ n: 1 }]);
    // n8n's engine merges the failed input item into the error item on the error output.
    expect(run.items('Strict', 1)).toEqual([{ n: null, error: 'Field "n" must be a number, got object' }]);
  });

  it('routes items of a two-output node to each output and on to the nodes behind them', async () => {
    const connections = chain('Start', 'Router');
    connect(connections, 'Router', 'Even doubled', 0);
    connect(connections, 'Router', 'Odd doubled', 1);
    const run = await runWorkflow({
      nodes: [
        { name: 'Router', type: PARITY_ROUTER_TYPE, parameters: {} },
        { name: 'Even doubled', type: DOUBLE_TYPE, parameters: { value: '={{ $json.n }}' } },
        { name: 'Odd doubled', type: DOUBLE_TYPE, parameters: { value: '={{ $json.n }}' } },
      ],
      connections,
      nodeTypes,
      inputItems: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }],
    });

    expect(run.status).toBe('success');
    expect(run.items('Router', 0)).toEqual([{ n: 2 }, { n: 4 }]);
    expect(run.items('Router', 1)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(run.items('Even doubled')).toEqual([
      { n: 2, doubled: 4 },
      { n: 4, doubled: 8 },
    ]);
    expect(run.items('Odd doubled')).toEqual([
      { n: 1, doubled: 2 },
      { n: 3, doubled: 6 },
    ]);
    expect(() => run.items('Router', 2)).toThrow('Node "Router" has 2 output(s); there is no output index 2');
  });

  it('returns binary data a node prepared with n8n helpers', async () => {
    const run = await runWorkflow({
      nodes: [{ name: 'To binary', type: TEXT_TO_BINARY_TYPE, parameters: {} }],
      connections: chain('Start', 'To binary'),
      nodeTypes,
      inputItems: [{ text: 'héllo' }],
    });

    expect(run.status).toBe('success');
    const [first] = run.binary('To binary');
    expect(first.data).toMatchObject({ fileName: 'message.txt', mimeType: 'text/plain' });
    expect(Buffer.from(first.data.data, 'base64').toString('utf8')).toBe('héllo');
  });

  it('starts from the only node without inputs when there is no Start node', async () => {
    const run = await runWorkflow({
      nodes: [
        { name: 'Source', type: DOUBLE_TYPE, parameters: { value: 5 } },
        { name: 'Next', type: DOUBLE_TYPE, parameters: { value: '={{ $json.doubled }}' } },
      ],
      connections: chain('Source', 'Next'),
      nodeTypes,
    });

    expect(run.status).toBe('success');
    expect(run.items('Next')).toEqual([{ doubled: 20 }]);
  });

  it('names the unknown node type and the types it knows', async () => {
    await expect(runWorkflow({ nodes: [{ name: 'X', type: 'test.missing', parameters: {} }], connections: {}, nodeTypes })).rejects.toThrow(
      /Unknown node type "test\.missing": the harness knows .*test\.double/,
    );
  });

  it('refuses to guess between several start nodes', async () => {
    await expect(
      runWorkflow({
        nodes: [
          { name: 'A', type: DOUBLE_TYPE, parameters: {} },
          { name: 'B', type: DOUBLE_TYPE, parameters: {} },
        ],
        connections: {},
        nodeTypes,
      }),
    ).rejects.toThrow('Cannot tell where the workflow starts (nodes without inputs: A, B): pass startNode');
  });

  it('says which node did not run when a test asks for its output', async () => {
    const run = await runWorkflow({
      nodes: [{ name: 'Double', type: DOUBLE_TYPE, parameters: { value: 1 } }],
      connections: {},
      nodeTypes,
      inputItems: [{ n: 1 }],
    });

    expect(() => run.items('Double')).toThrow('Node "Double" did not run (status success); nodes that ran: Start');
  });
});
