// Evaluates one GitHub Actions expression (`${{ ... }}` without the braces) with GitHub's own
// evaluator, @actions/expressions (from actions/languageservices), for the workflow tests: they
// ask what a setting evaluates to in the contexts GitHub gives a run. An ES module, so it runs in
// its own Node process (jest's module system cannot load it).
//
//   echo '{"expression": "github.ref", "contexts": {"github": {"ref": "refs/heads/main"}}}' | node evaluate-expression.mjs
//   -> {"value": "refs/heads/main", "truthy": true}
import { readFileSync } from 'node:fs';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';

/** A JSON value as the evaluator's data (objects become case-insensitive dictionaries, as on GitHub). */
function toData(value) {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  return new data.Dictionary(...Object.entries(value).map(([key, inner]) => ({ key, value: toData(inner) })));
}

const { expression, contexts } = JSON.parse(readFileSync(0, 'utf8'));
const lexed = new Lexer(expression).lex();
const parsed = new Parser(lexed.tokens, Object.keys(contexts), []).parse();
const result = new Evaluator(parsed, toData(contexts)).evaluate();
process.stdout.write(JSON.stringify({ value: result.coerceString(), truthy: truthy(result) }));
