// Keeps n8n's log when an e2e test fails: copies it into test-output/e2e/ (CI uploads that folder).
import * as fs from 'node:fs';
import * as path from 'node:path';

const outputDir = path.join(__dirname, '..', '..', '..', 'test-output', 'e2e');

export class FailureLog {
  private failed = false;

  /** Wraps a test body so a throw marks the run as failed before jest sees it. */
  guard<T>(body: () => Promise<T>): () => Promise<T> {
    return async () => {
      try {
        return await body();
      } catch (error) {
        this.failed = true;
        throw error;
      }
    };
  }

  markFailed(): void {
    this.failed = true;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  /** Copies the given log files when something failed; returns the copies' paths. */
  saveIfFailed(label: string, logFiles: string[]): string[] {
    if (!this.failed) return [];
    fs.mkdirSync(outputDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const saved: string[] = [];
    for (const logFile of logFiles) {
      if (!fs.existsSync(logFile)) continue;
      const target = path.join(outputDir, `${label}-${stamp}-${path.basename(logFile)}`);
      fs.copyFileSync(logFile, target);
      saved.push(target);
    }
    return saved;
  }
}
