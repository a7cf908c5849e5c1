// A tiny inline chart for table rows: plain SVG (no chart library per row), fixed size, the last 5 minutes.

export interface SparkSeries {
  v: Float64Array;
  /** Sets the stroke colour through currentColor. */
  className: string;
}

interface Props {
  t: Float64Array;
  series: SparkSeries[];
  /** Right edge of the window, in the same clock as t. */
  end: number;
  windowMs?: number;
  width?: number;
  height?: number;
  label?: string;
}

export function Sparkline({ t, series, end, windowMs = 300_000, width = 88, height = 22, label }: Props) {
  const start = end - windowMs;
  let max = 0;
  for (const s of series)
    for (let i = 0; i < s.v.length; i++) if (!Number.isNaN(s.v[i] as number)) max = Math.max(max, s.v[i] as number);
  const pad = 1.5;
  const x = (tt: number) => ((tt - start) / windowMs) * width;
  const y = (vv: number) => height - pad - (max > 0 ? (vv / max) * (height - 2 * pad) : 0);
  const pathOf = (v: Float64Array) => {
    let d = '';
    let pen = false;
    for (let i = 0; i < t.length; i++) {
      const vv = v[i] as number;
      const tt = t[i] as number;
      if (Number.isNaN(vv) || tt < start) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(tt).toFixed(1)},${y(vv).toFixed(1)}`;
      pen = true;
    }
    return d;
  };
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className="shrink-0 overflow-visible"
      role="img"
      aria-label={label}
    >
      <line
        x1={0}
        x2={width}
        y1={height - 0.5}
        y2={height - 0.5}
        className="stroke-zinc-200 dark:stroke-zinc-700"
        strokeWidth={1}
      />
      {series.map((s, i) => (
        <path
          key={i}
          d={pathOf(s.v)}
          fill="none"
          stroke="currentColor"
          className={s.className}
          strokeWidth={1.25}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      ))}
    </svg>
  );
}
