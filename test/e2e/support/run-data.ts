// Reads what an execution produced from n8n's REST answer: `GET /rest/executions/:id` returns the
// run data as a "flatted" string (JSON of a table where every string inside an object is the index
// of the entry holding the real value, so shared and circular references survive).

export type ItemJson = Record<string, unknown>;

interface NodeRun {
  data?: { main?: Array<Array<{ json: ItemJson }> | null> };
  error?: { message?: string };
}

export interface ExecutionRunData {
  resultData: { runData: Record<string, NodeRun[]>; error?: { message?: string }; lastNodeExecuted?: string };
}

/** Parses n8n's flatted text (the format of the `flatted` package, version 3). */
export function parseFlatted(text: string): unknown {
  const table = JSON.parse(text) as unknown[];
  if (!Array.isArray(table) || table.length === 0) throw new Error('flatted text must be a non-empty JSON array');
  const revived = new Map<number, unknown>();
  const revive = (index: number): unknown => {
    if (revived.has(index)) return revived.get(index);
    const entry = table[index];
    if (entry === null || typeof entry !== 'object') {
      revived.set(index, entry);
      return entry;
    }
    const out: Record<string, unknown> | unknown[] = Array.isArray(entry) ? [] : {};
    // Registered before its children so a cycle back to this entry finds it.
    revived.set(index, out);
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      (out as Record<string, unknown>)[key] = typeof value === 'string' ? revive(Number(value)) : value;
    }
    return out;
  };
  return revive(0);
}

/** The run data of an execution as the REST API returns it (`data` is the flatted string). */
export function runDataOf(execution: { data: string }): ExecutionRunData {
  const parsed = parseFlatted(execution.data) as ExecutionRunData;
  if (!parsed?.resultData?.runData) throw new Error('execution data has no resultData.runData');
  return parsed;
}

/** The items one node put on one of its outputs in its first run; [] when it emitted none there. */
export function nodeOutput(run: ExecutionRunData, nodeName: string, outputIndex = 0): ItemJson[] {
  const runs = run.resultData.runData[nodeName];
  if (!runs || runs.length === 0) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(run.resultData.runData).join(', ')})`);
  const error = runs[0].error;
  if (error) throw new Error(`node "${nodeName}" failed: ${error.message}`);
  return (runs[0].data?.main?.[outputIndex] ?? []).map((item) => item.json);
}
