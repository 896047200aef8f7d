import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  /** One value per label; null where the value is undefined. */
  values: readonly (number | null)[];
  color: string;
  /** Drawn dashed: the comparison series. */
  dashed?: boolean;
}

export interface TimeSeriesChartProps {
  /** The chart's title, also its accessible name. */
  title: string;
  /** The buckets' names, in the business time zone (the API's TrendPoint.label). */
  labels: readonly string[];
  series: readonly Series[];
  /** How a value reads on the axis, in the tooltip legend and in the summary table. */
  format: (value: number) => string;
  /** How a value reads on the axis when that differs (shorter: "$30K"); default ``format``. */
  axisFormat?: (value: number) => string;
  height?: number;
}

/**
 * A line chart (uPlot: canvas, about 20 kB gzipped, thousands of points in a few ms) with
 * an accessible summary: the same numbers as a table that screen readers read instead.
 */
export function TimeSeriesChart({
  title,
  labels,
  series,
  format,
  axisFormat = format,
  height = 240,
}: TimeSeriesChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const xs = labels.map((_, index) => index);
    const data: uPlot.AlignedData = [xs, ...series.map((s) => s.values.map((v) => v))];
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height,
      scales: { x: { time: false } },
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      axes: [
        {
          values: (_u, ticks) => ticks.map((tick) => labels[tick] ?? ""),
          // Room for the longest label ("Week of 2026-09-28"), so that labels never overlap.
          space: Math.max(50, 7 * Math.max(0, ...labels.map((label) => label.length)) + 16),
          stroke: "#57606a",
          grid: { show: false },
        },
        {
          values: (_u, ticks) => ticks.map((tick) => axisFormat(tick)),
          size: 80,
          stroke: "#57606a",
          grid: { stroke: "#eceff3" },
        },
      ],
      series: [
        { label: "Bucket", value: (_u, index) => (index == null ? "" : (labels[index] ?? "")) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dashed ? [6, 4] : undefined,
          value: (_u: uPlot, value: number | null) => (value == null ? "—" : format(value)),
          points: { show: labels.length <= 40 },
        })),
      ],
    };
    chart.current?.destroy();
    chart.current = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => {
      chart.current?.setSize({ width: Math.max(element.clientWidth, 200), height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, [labels, series, format, axisFormat, height]);

  return (
    <figure className="chart">
      <figcaption className="chart__title">{title}</figcaption>
      <div ref={box} className="chart__canvas" aria-hidden="true" />
      <details className="chart__data">
        <summary>{title}: the numbers</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              {series.map((s) => (
                <th key={s.label} scope="col" className="num">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, index) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((s) => {
                  const value = s.values[index];
                  return (
                    <td key={s.label} className="num">
                      {value == null ? "—" : format(value)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
