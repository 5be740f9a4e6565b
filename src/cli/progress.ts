/**
 * Sweep progress on stderr: a bar with runs done, failed, runs/s and ETA on a
 * terminal; a plain line every few seconds otherwise (CI logs), and always a
 * line for each failed run.
 */
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import { safeText } from '../core/text.js';
import type { SweepProgress } from '../runner/sweep.js';

const LINE_EVERY_MS = 5000;

export interface ProgressReporter {
  update(p: SweepProgress): void;
  stop(): void;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const started = performance.now();
  let firstDone = -1;
  let lastLine = started;
  let latest: SweepProgress | undefined;
  const rate = (p: SweepProgress): number => {
    const seconds = (performance.now() - started) / 1000;
    return seconds > 0 ? (p.done - p.resumed) / seconds : 0;
  };
  const eta = (p: SweepProgress): string => {
    const r = rate(p);
    return r > 0 ? `${Math.ceil((p.total - p.done) / r)} s` : '?';
  };

  const bar = stream.isTTY
    ? new cliProgress.SingleBar(
        {
          stream,
          format: ' {bar} {value}/{total} runs | {failed} failed | {rate} runs/s | ETA {etaText}',
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;

  const failedLine = (p: SweepProgress): void => {
    if (p.last !== undefined && !p.last.ok) {
      const text = `${pc.red('failed:')} ${safeText(`${p.last.label}: ${p.last.error}`)}`;
      // On a terminal, clear the bar's line first; the next update redraws it below.
      stream.write(bar ? `\r\x1b[K${text}\n` : `${text}\n`);
    }
  };

  return {
    update(p) {
      latest = p;
      if (firstDone < 0) {
        firstDone = p.done;
        if (p.resumed > 0) stream.write(`resuming: ${p.resumed} of ${p.total} runs already done\n`);
        bar?.start(p.total, p.done, { failed: 0, rate: '0.0', etaText: '?' });
      }
      failedLine(p);
      if (bar) {
        bar.update(p.done, { failed: p.failed, rate: rate(p).toFixed(1), etaText: eta(p) });
        return;
      }
      const now = performance.now();
      if (now - lastLine >= LINE_EVERY_MS) {
        lastLine = now;
        stream.write(`sweep: ${p.done}/${p.total} runs, ${p.failed} failed, ${rate(p).toFixed(1)} runs/s, ETA ${eta(p)}\n`);
      }
    },
    stop() {
      bar?.stop();
      if (!bar && latest !== undefined) {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        stream.write(`sweep: ${latest.done}/${latest.total} runs, ${latest.failed} failed, in ${seconds} s\n`);
      }
    },
  };
}
