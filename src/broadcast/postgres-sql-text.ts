/**
 * The little the recipient source must know of the user's SQL text before the server sees it: its
 * first keyword (only a query that returns rows is run) and where it ends (a trailing `;` and
 * comments pasted from psql are not a second statement). Hand-written: a full parser
 * (libpg-query) is a native build for two questions; this scanner only steps over what can hide a
 * `;` or a keyword: strings ('', E'', $tag$ $tag$), quoted names ("") and comments (--, nested
 * /* *\/). The server still parses the SQL, and every statement runs in a READ ONLY transaction,
 * so a text that fools this scanner can fail, never write.
 */

/** The statements a recipient query may start with: each only reads (a WITH's data-modifying parts run nowhere but at the top level, refused by the read-only transaction). */
const READING_STATEMENTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);

interface Scanned {
  /** The SQL without trailing semicolons, comments and whitespace. */
  body: string;
  /** The first keyword, upper case, after comments and opening parentheses ('' if none). */
  firstWord: string;
}

/** Index just past a string, quoted name or comment starting at `i`, or -1 when none starts there. */
function skipQuoted(sql: string, i: number): number {
  const c = sql[i];
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end + 1;
  }
  if (c === '/' && sql[i + 1] === '*') {
    let depth = 1;
    let j = i + 2;
    while (j < sql.length && depth > 0) {
      if (sql.startsWith('/*', j)) {
        depth++;
        j += 2;
      } else if (sql.startsWith('*/', j)) {
        depth--;
        j += 2;
      } else j++;
    }
    return j;
  }
  if (c === "'" || c === '"') {
    // E'...' strings take backslash escapes; the others only a doubled quote.
    const backslashes = c === "'" && i > 0 && /[eE]/.test(sql[i - 1]) && !/[\w$]/.test(sql[i - 2] ?? '');
    let j = i + 1;
    while (j < sql.length) {
      if (backslashes && sql[j] === '\\') j += 2;
      else if (sql[j] === c && sql[j + 1] === c) j += 2;
      else if (sql[j] === c) return j + 1;
      else j++;
    }
    return sql.length;
  }
  if (c === '$' && !/[\w$]/.test(sql[i - 1] ?? '')) {
    const tag = /^\$([A-Za-z_][\w]*)?\$/.exec(sql.slice(i));
    if (!tag) return -1;
    const end = sql.indexOf(tag[0], i + tag[0].length);
    return end < 0 ? sql.length : end + tag[0].length;
  }
  return -1;
}

/** The SQL's first keyword and its text without trailing `;`, comments and whitespace. */
export function scanSql(sql: string): Scanned {
  let firstWord = '';
  let seenCode = false;
  let end = 0;
  for (let i = 0; i < sql.length; ) {
    const skipped = skipQuoted(sql, i);
    if (skipped >= 0) {
      // A comment is not code; a string or quoted name is.
      if (!(sql[i] === '-' || sql[i] === '/')) {
        seenCode = true;
        end = skipped;
      }
      i = skipped;
      continue;
    }
    const c = sql[i];
    if (/\s/.test(c) || c === ';') {
      i++;
      continue;
    }
    if (!seenCode && c === '(') {
      i++;
      continue;
    }
    if (!seenCode) firstWord = (/^[A-Za-z_]\w*/.exec(sql.slice(i))?.[0] ?? c).toUpperCase();
    seenCode = true;
    i++;
    end = i;
  }
  return { body: sql.slice(0, end), firstWord };
}

/**
 * PostgreSQL's commands other than those: refused by name. A first word that is no command at all
 * (a typo, SELEC) goes to the server, whose syntax error says where it is; it cannot run anything
 * (the EXPLAIN options are ours, written out, and the transaction is read-only).
 */
const OTHER_COMMANDS = new Set(
  (
    'ABORT ALTER ANALYSE ANALYZE BEGIN CALL CHECKPOINT CLOSE CLUSTER COMMENT COMMIT COPY CREATE DEALLOCATE DECLARE DELETE DISCARD DO DROP END ' +
    'EXECUTE EXPLAIN FETCH GRANT IMPORT INSERT LISTEN LOAD LOCK MERGE MOVE NOTIFY PREPARE REASSIGN REFRESH REINDEX RELEASE RESET REVOKE ' +
    'ROLLBACK SAVEPOINT SECURITY SET SHOW START TRUNCATE UNLISTEN UPDATE VACUUM VERBOSE'
  ).split(' '),
);

/** Whether a first keyword is refused: a command that is not a query reading rows, or no statement at all. */
export function isRefusedStatement(firstWord: string): boolean {
  return !READING_STATEMENTS.has(firstWord) && (firstWord === '' || OTHER_COMMANDS.has(firstWord) || !/^[A-Z_]/.test(firstWord));
}
