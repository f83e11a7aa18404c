// A one-line progress bar for terminals; on anything else (CI, pipes) it stays quiet
// and the caller prints a summary instead.
export interface Progress {
  update(done: number, total: number, note?: string): void;
  done(): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let last = 0;
  return {
    update(done, total, note = '') {
      if (!tty) return;
      const t = Date.now();
      if (done < total && t - last < 80) return;
      last = t;
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : width;
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      const cols = stream.columns || 80;
      const line = `${label} ${bar} ${done}/${total} ${note}`.slice(0, cols - 1);
      stream.write(`\r\x1b[2K${line}`);
    },
    done() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}

/** Renders rows as an aligned plain-text table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => {
        const s = c ?? '';
        return (s.length > widths[i] ? s.slice(0, widths[i] - 1) + '…' : s).padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}
