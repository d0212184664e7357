/**
 * CloudWatch metric math over sparse metrics. A count (statistic Sum or SampleCount) is published only
 * when it is non-zero: ALB's `HTTPCode_*_Count` and even `RequestCount` have "Reporting criteria: there
 * is a nonzero value", and no datapoint at all without traffic. An expression over such a metric has no
 * value for the minutes it is missing, so an error-rate alarm with `treatMissingData: notBreaching`
 * never fires however many 5XX the other metric counts. `FILL(m, 0)` gives every period a value. Pure.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html (FILL)
 */

/** Statistics of counts: absent, not zero, when nothing happened. */
export const SPARSE_STATISTICS: readonly string[] = ["Sum", "SampleCount"];

/** The fields of a `MetricAlarm.metricQueries` entry this check reads. */
export interface MetricQueryLike {
    readonly id: string;
    readonly expression?: string;
    readonly metric?: { readonly stat?: string };
}

/** A sparse metric that an expression reads outside `FILL(...)`. */
export interface UnfilledReference {
    readonly expressionId: string;
    readonly metricId: string;
}

/** `FILL(<id>, <value>)`: the way every reference to a sparse metric must be written. */
export const filled = (id: string, value = 0): string => `FILL(${id}, ${value})`;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each (expression, sparse metric) pair where the expression reads the metric at least once not as FILL's first argument. */
export function unfilledSparseMetrics(queries: readonly MetricQueryLike[]): UnfilledReference[] {
    const sparse = queries.filter((q) => q.metric && SPARSE_STATISTICS.includes(q.metric.stat ?? "")).map((q) => q.id);
    const found: UnfilledReference[] = [];
    for (const q of queries) {
        if (typeof q.expression !== "string") continue;
        for (const id of sparse) {
            const reference = new RegExp(`(?<![A-Za-z0-9_])${escape(id)}(?![A-Za-z0-9_])`, "g");
            for (const match of q.expression.matchAll(reference)) {
                if (!/FILL\(\s*$/i.test(q.expression.slice(0, match.index))) {
                    found.push({ expressionId: q.id, metricId: id });
                    break;
                }
            }
        }
    }
    return found;
}
