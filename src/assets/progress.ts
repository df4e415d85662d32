/** Download progress on standard error: a redrawn bar on a terminal, a line every 25% otherwise. */
export interface Progress {
  update(done: number): void;
  finish(message: string): void;
}

export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  let lastQuarter = -1;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return {
    update(done) {
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(`\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${mb(done)}/${mb(total)} MB`);
      } else {
        const quarter = Math.floor(fraction * 4);
        if (quarter > lastQuarter) {
          lastQuarter = quarter;
          stream.write(`  ${label}: ${quarter * 25}% (${mb(done)}/${mb(total)} MB)\n`);
        }
      }
    },
    finish(message) {
      stream.write(tty ? `\r\x1b[2K  ${label}: ${message}\n` : `  ${label}: ${message}\n`);
    },
  };
}
