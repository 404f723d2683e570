'use strict';
// Marker files say "this step finished": each is written only after its step succeeded and holds
// what the step depended on (versions), so a half-finished attempt or a changed input redoes it.

const fs = require('node:fs');

/**
 * @param {string} markerPath
 * @param {Record<string, unknown>} expected fields that must match for the marker to count
 * @returns {Record<string, unknown> | null} the marker's content when it matches, else null
 */
function readMatchingMarker(markerPath, expected) {
  let content;
  try {
    content = JSON.parse(fs.readFileSync(markerPath, 'utf8'));
  } catch {
    return null;
  }
  for (const [key, value] of Object.entries(expected)) {
    if (content[key] !== value) return null;
  }
  return content;
}

/** Writes the marker through a temporary file and a rename, so it is never seen half-written. */
function writeMarker(markerPath, content) {
  const temporary = `${markerPath}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ ...content, finishedAt: new Date().toISOString() }, null, 2));
  fs.renameSync(temporary, markerPath);
}

function removeMarker(markerPath) {
  fs.rmSync(markerPath, { force: true });
}

module.exports = { readMatchingMarker, writeMarker, removeMarker };
