// How the bench scripts write their figures: the median of some runs, milliseconds as seconds, bytes as MB or GB.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function mb(bytes) {
  return bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(2)} GB` : `${Math.round(bytes / (1 << 20))} MB`;
}
