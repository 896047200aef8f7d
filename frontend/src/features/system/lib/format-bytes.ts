const UNITS = ["bytes", "kB", "MB", "GB", "TB"] as const;

/** A size in bytes the way people read it: "512 bytes", "1.5 MB" (1 kB = 1000 bytes). */
export function formatBytes(bytes: number, locale?: string): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${UNITS[unit]}`;
}
