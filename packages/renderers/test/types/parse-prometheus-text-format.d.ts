// parse-prometheus-text-format 1.1.1 ships no types: its one export, as its README documents it.
declare module "parse-prometheus-text-format" {
  interface MetricFamily {
    name: string;
    help: string;
    type: string;
    metrics: { value?: string; labels?: Record<string, string>; timestamp_ms?: string }[];
  }
  export default function parsePrometheusTextFormat(text: string): MetricFamily[];
}
