import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLORS = ['#1d6fd8', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0f766e'];

export interface Series {
  label: string;
  values: number[];
}

/** A bar chart of daily values (x: UTC days), one series per app, drawn by uPlot. */
export function DayChart({ title, days, series, format }: { title: string; days: string[]; series: Series[]; format: (v: number) => string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const bars = uPlot.paths.bars!({ size: [0.6, 60] });
    const plot = new uPlot(
      {
        title,
        width: Math.min(760, box.current.clientWidth || 760),
        height: 220,
        scales: { x: { time: true } },
        axes: [{}, { values: (_u, vals) => vals.map(format), size: 70 }],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], fill: `${COLORS[i % COLORS.length]}55`, paths: bars, value: (_u: uPlot, v: number | null) => (v == null ? '–' : format(v)) }))],
      },
      [days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000), ...series.map((s) => s.values)],
      box.current,
    );
    return () => plot.destroy();
  }, [title, days.join(), JSON.stringify(series)]);
  return <div class="chart" ref={box} role="img" aria-label={`${title}: ${series.map((s) => `${s.label} ${format(s.values.reduce((a, b) => a + b, 0))}`).join(', ')}`} />;
}
