/**
 * Send SMS as an AI agent's tool, retried. n8n-core runs each try of a tool call (its "Retry On
 * Fail") with a new run index, and the default idempotency key had the run index in it: a call
 * to 10 numbers with one rejected sent the 9 others three times (27 SMS). As a tool the default
 * key is the execution, node, number and message: neither a retried tool call nor the agent
 * repeating the same call in one execution sends an accepted message again, and the error says
 * exactly that.
 */
import type { IConnections, IDataObject } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { runWorkflow } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import { AGENT_NODE_TYPE, asAgentTool, HarnessAgent } from '../harness/agent-tool';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { Status } from '../../src/transport/smpp/command-status';
import { SendSms } from '../../nodes/SendSms/SendSms.node';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const SEND_TOOL = 'n8n-nodes-sms-gateway.sendSmsTool';
const toolTypes = { [AGENT_NODE_TYPE]: new HarnessAgent(), [SEND_TOOL]: asAgentTool(new SendSms()) };
const TOOL = 'SMS Tool';
const numbers = (count: number, from: number): string[] => Array.from({ length: count }, (_, i) => `+4479112${String(20_000 + from + i)}`);

/** Start -> each agent in turn; the one tool node serves every agent. */
function agentsConnections(agents: string[]): IConnections {
  const chained: IConnections = {};
  ['Start', ...agents].forEach((name, i, all) => {
    if (i + 1 < all.length) chained[name] = { main: [[{ node: all[i + 1], type: NodeConnectionTypes.Main, index: 0 }]] };
  });
  chained[TOOL] = { [NodeConnectionTypes.AiTool]: [agents.map((node) => ({ node, type: NodeConnectionTypes.AiTool, index: 0 }))] };
  return chained;
}

describe("Send SMS as an agent's tool: accepted messages are never sent again by a retry or a repeated call", () => {
  let smsc: SandboxSmsc;
  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    smsc = await startSandbox();
  });
  afterEach(() => {
    smsc.store.clear();
    smsc.setFaults({ failDestinations: [] });
  });
  afterAll(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  /** One execution in which each agent makes one tool call with its arguments. */
  const agentsRun = (via: string, calls: IDataObject[], toolNode: IDataObject = {}): Promise<HarnessRun> => {
    const agents = calls.map((_, i) => (i === 0 ? 'Agent' : `Agent ${i + 1}`));
    return runWorkflow({
      nodes: [
        ...agents.map((name, i) => ({ name, type: AGENT_NODE_TYPE, parameters: { toolArgs: JSON.stringify(calls[i]), via, toolNode: TOOL } })),
        {
          name: TOOL,
          type: SEND_TOOL,
          parameters: { to: "={{ $fromAI('to') }}", message: "={{ $fromAI('message') }}" },
          credentials: smppCredentialRef,
          ...toolNode,
        },
      ],
      connections: agentsConnections(agents),
      nodeTypes: toolTypes,
      credentials: { smppApi: smppCredential(smsc) },
      credentialTypes,
      inputItems: [{ chatInput: 'tell them all' }],
    });
  };
  const received = (list: string[]): number[] => list.map((to) => smsc.store.list({ to }).length);

  it.each(['langchain', 'engine'])(
    '(%s) "Retry On Fail" 3 tries, 10 numbers, one rejected: each of the 9 gets 1 SMS (27 before), and the error says a retry sends them no more',
    async (via) => {
      const ten = numbers(10, via === 'langchain' ? 0 : 100);
      smsc.setFaults({ failDestinations: [ten[9].slice(1)], failStatus: Status.invalidDestination });
      const run = await agentsRun(via, [{ to: ten.join(','), message: 'Promo: reply YES' }], { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });
      expect(received(ten)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
      const { toolError } = run.items('Agent')[0];
      expect(String(toolError)).toMatch(/^1 of 10 SMS failed \(9 accepted\): SMS to \+447911220[01]09 failed: carrier rejected the message: ESME_RINVDSTADR/);
      if (via === 'langchain') {
        expect(String(toolError)).toContain('Accepted (a retry of this tool call, or the same call again in this execution, does not send these again):');
        expect(String(toolError)).not.toMatch(/a retry of this execution/);
      }
    },
  );

  it.each(['langchain', 'engine'])(
    '(%s) the agent making the same call twice in one execution sends once; another message to the same number goes',
    async (via) => {
      const [to] = numbers(1, via === 'langchain' ? 200 : 300);
      const run = await agentsRun(via, [
        { to, message: 'Your table is ready' },
        { to, message: 'Your table is ready' },
        { to, message: 'Your table is ready in 5 minutes' },
      ]);
      expect(smsc.store.list({ to }).map((m) => m.text)).toEqual(['Your table is ready', 'Your table is ready in 5 minutes']);
      const answers = ['Agent', 'Agent 2', 'Agent 3'].map((agent) => (run.items(agent)[0].toolOutput as IDataObject[])[0]);
      expect(answers.map((a) => [a.status, a.alreadySent ?? false])).toEqual([
        ['accepted', false],
        ['accepted', true],
        ['accepted', false],
      ]);
      expect(answers[1].messageIds).toEqual(answers[0].messageIds);
    },
  );

  it.each(['langchain', 'engine'])('(%s) one call listing the same number twice sends it once, and the number counts once against the limit', async (via) => {
    const [to] = numbers(1, via === 'langchain' ? 500 : 600);
    await agentsRun(via, [{ to: `${to}, ${to}`, message: 'Your table is ready' }]);
    expect(smsc.store.list({ to })).toHaveLength(1);
    // 10 distinct numbers and a repeat: within the default limit of 10.
    const ten = numbers(10, via === 'langchain' ? 700 : 800);
    const run = await agentsRun(via, [{ to: [...ten, ten[0]].join(','), message: 'Meeting moved to 3 pm' }]);
    expect(String(run.items('Agent')[0].toolError ?? '')).toBe('');
    expect(received(ten)).toEqual(ten.map(() => 1));
  });

  it("a new execution with the same call sends again (the key is per execution), as the option's description says", async () => {
    const [to] = numbers(1, 400);
    await agentsRun('langchain', [{ to, message: 'Shift starts at 8' }]);
    await agentsRun('langchain', [{ to, message: 'Shift starts at 8' }]);
    expect(smsc.store.list({ to })).toHaveLength(2);
    const option = new SendSms().description.properties.flatMap((p) => p.options ?? []).find((o) => 'name' in o && o.name === 'idempotencyKey') as
      | { description?: string }
      | undefined;
    expect(option?.description).toMatch(
      /As an AI agent's tool: the execution, node, number and message, so neither a retried tool call nor the agent repeating the same call in one execution sends it again/,
    );
  });
});
