/** The paging catalogue: every alarm and rule, its threshold, its severity and where it goes (README "What pages whom"). */
export interface PagingEntry {
    readonly name: string;
    readonly source: "cloudwatch" | "prometheus" | "route53";
    readonly signal: string;
    readonly threshold: string;
    readonly severity: "page" | "ticket";
    readonly route: string;
    readonly seed?: string;
}
