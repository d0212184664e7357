/**
 * Price table check: `npm run prices -- --check <price-list.json>... [--tolerance <percent>] [--json <file>]`
 *
 * The offline price table (model/prices) carries, for many European rates, the best public figure with a
 * note that AWS's own page could not be read offline (its tables are rendered by script). This checks the
 * table's instance-hour entries (EC2, RDS PostgreSQL, ElastiCache, OpenSearch: the largest declared-capacity
 * lines) against AWS's own Price List, read where there is a network, either as
 *  - the bulk offer file of a service and region (`https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/
 *    <AmazonEC2|AmazonRDS|AmazonElastiCache|AmazonES>/current/<region>/index.json`), or
 *  - the output of `aws pricing get-products --service-code <code> --filters Type=TERM_MATCH,Field=regionCode,Value=<region> ...`
 *    (`{ "PriceList": ["<product JSON>", ...] }`).
 * Exit codes: 0 every table entry the files price is within the tolerance; 1 some differ; 2 usage (one line).
 * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html
 * @see https://docs.aws.amazon.com/cli/latest/reference/pricing/get-products.html
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { PRICES, type PriceEntry } from "../model/prices";
import { parseCli } from "./cli";
import { UsageError } from "./offline";

/** One product of a price list, as either format carries it: its attributes and its on-demand hourly USD prices. */
export interface ListedProduct {
    readonly offerCode: string;
    readonly attributes: Readonly<Record<string, string>>;
    readonly productFamily?: string;
    readonly hourlyUsd: readonly number[];
}

interface RawProduct {
    sku?: string;
    productFamily?: string;
    attributes?: Record<string, string>;
}
interface RawDimension {
    unit?: string;
    pricePerUnit?: { USD?: string };
}
type RawTerms = Record<string, Record<string, { priceDimensions?: Record<string, RawDimension> }>>;

/** The positive hourly USD prices of on-demand terms (a $0 "reserved instance applied" dimension is not a price). */
function hourly(terms: Record<string, { priceDimensions?: Record<string, RawDimension> }> | undefined): number[] {
    return Object.values(terms ?? {})
        .flatMap((t) => Object.values(t.priceDimensions ?? {}))
        .filter((d) => d.unit === "Hrs")
        .map((d) => Number(d.pricePerUnit?.USD))
        .filter((usd) => Number.isFinite(usd) && usd > 0);
}

/** The products of a bulk offer file or of `aws pricing get-products` output. */
export function productsOf(doc: unknown, file: string): ListedProduct[] {
    const d = doc as { offerCode?: string; products?: Record<string, RawProduct>; terms?: { OnDemand?: RawTerms }; PriceList?: unknown[] };
    if (Array.isArray(d?.PriceList)) {
        type Listed = { serviceCode?: string; product?: RawProduct; terms?: { OnDemand?: unknown } };
        const parse = (item: string): Listed => {
            try {
                return JSON.parse(item) as Listed;
            } catch {
                throw new UsageError(`${file}: a PriceList item is not JSON (expected \`aws pricing get-products\` output as written)`);
            }
        };
        return d.PriceList.map((item) => (typeof item === "string" ? parse(item) : (item as Listed))).map((p) => ({
            offerCode: p.serviceCode ?? p.product?.attributes?.servicecode ?? "",
            attributes: p.product?.attributes ?? {},
            productFamily: p.product?.productFamily,
            // get-products keys on-demand terms by offer term code directly (the bulk file keys them by SKU first).
            hourlyUsd: hourly(p.terms?.OnDemand as Record<string, { priceDimensions?: Record<string, RawDimension> }> | undefined),
        }));
    }
    if (typeof d?.offerCode === "string" && d.products && typeof d.products === "object") {
        const onDemand = d.terms?.OnDemand ?? {};
        return Object.entries(d.products).map(([sku, p]) => ({
            offerCode: d.offerCode!,
            attributes: p.attributes ?? {},
            productFamily: p.productFamily,
            hourlyUsd: hourly(onDemand[sku]),
        }));
    }
    throw new UsageError(
        `${file} is not an AWS price list: expected a bulk offer file (offerCode, products, terms) or \`aws pricing get-products\` output (PriceList)`,
    );
}

/** Regions by the `location` names older offer files use when a product has no `regionCode`. */
const LOCATIONS: Readonly<Record<string, string>> = { "EU (London)": "eu-west-2", "EU (Ireland)": "eu-west-1", "US East (N. Virginia)": "us-east-1" };

/** The price table key (and region) a listed product is the price of, or undefined when the table has no such entry kind. */
export function tableKeyOf(p: ListedProduct): { key: string; region: string } | undefined {
    const a = p.attributes;
    const region = a.regionCode ?? LOCATIONS[a.location ?? ""];
    const type = a.instanceType;
    if (!region || !type) return undefined;
    switch (p.offerCode) {
        case "AmazonEC2":
            // Linux, shared tenancy, no pre-installed software, a running instance (not a reservation's capacity).
            if (a.operatingSystem !== "Linux" || a.tenancy !== "Shared" || (a.preInstalledSw ?? "NA") !== "NA" || (a.capacitystatus ?? "Used") !== "Used")
                return undefined;
            return { key: `ec2.instance.${type}`, region };
        case "AmazonRDS": {
            if (a.databaseEngine !== "PostgreSQL") return undefined;
            const deployment = { "Single-AZ": "singleAz", "Multi-AZ": "multiAz" }[a.deploymentOption ?? ""];
            return deployment ? { key: `rds.instance.${type}.${deployment}`, region } : undefined;
        }
        case "AmazonElastiCache": {
            const engine = { Redis: "redis", Valkey: "valkey" }[a.cacheEngine ?? ""];
            return engine ? { key: `elasticache.node.${type}.${engine}`, region } : undefined;
        }
        case "AmazonES":
            return type.endsWith(".search") && /ESInstance/.test(a.usagetype ?? "") ? { key: `opensearch.instance.${type}`, region } : undefined;
        default:
            return undefined;
    }
}

export interface PriceCheck {
    readonly key: string;
    readonly region: string;
    readonly table: number;
    /** What the price list says (one figure; several distinct ones read as ambiguous). */
    readonly listed: readonly number[];
    readonly verdict: "confirmed" | "differs" | "ambiguous";
    readonly deltaPercent: number;
}

/** Each table entry the products price, against the listed figure. */
export function checkPrices(products: readonly ListedProduct[], tolerancePercent: number, table: readonly PriceEntry[] = PRICES): PriceCheck[] {
    const listed = new Map<string, Set<number>>();
    for (const p of products) {
        const at = tableKeyOf(p);
        if (!at || p.hourlyUsd.length === 0) continue;
        const id = `${at.region}|${at.key}`;
        const prices = listed.get(id) ?? new Set<number>();
        p.hourlyUsd.forEach((usd) => prices.add(usd));
        listed.set(id, prices);
    }
    const checks: PriceCheck[] = [];
    for (const entry of table) {
        const found = listed.get(`${entry.region}|${entry.key}`);
        if (!found) continue;
        const figures = [...found].sort((x, y) => x - y);
        const deltaPercent = Math.round(((entry.usd - figures[0]) / figures[0]) * 10000) / 100;
        const verdict = figures.length > 1 ? "ambiguous" : Math.abs(deltaPercent) <= tolerancePercent ? "confirmed" : "differs";
        checks.push({ key: entry.key, region: entry.region, table: entry.usd, listed: figures, verdict, deltaPercent });
    }
    return checks;
}

interface PricesOptions {
    check: string[];
    tolerance: number;
    json?: string;
}

export function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
    const program = new Command("prices")
        .description("Check the offline price table against AWS's Price List (bulk offer files or `aws pricing get-products` output)")
        .requiredOption("--check <files...>", "price list files to check the table against")
        .option("--tolerance <percent>", "how far the table may be from the list and count as confirmed", (v) => Number(v), 3)
        .option("--json <file>", "also write the checks as JSON");
    const parsed = parseCli<PricesOptions>(program, argv, 2);
    if ("code" in parsed) return parsed.code;
    const { check, tolerance, json } = parsed.opts;
    try {
        if (!(tolerance >= 0)) throw new UsageError(`invalid --tolerance ${String(tolerance)}: expected a non-negative number of percent`);
        const products = check.flatMap((file) => {
            let doc: unknown;
            try {
                doc = JSON.parse(readFileSync(file, "utf8"));
            } catch (e) {
                throw new UsageError(`cannot read --check ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split("\n")[0]}`);
            }
            return productsOf(doc, file);
        });
        const checks = checkPrices(products, tolerance);
        for (const c of checks)
            out(
                `${c.verdict.padEnd(10)} ${c.region} ${c.key}: table ${c.table}, list ${c.listed.join(" / ")} (${c.deltaPercent >= 0 ? "+" : ""}${c.deltaPercent}%)`,
            );
        const differing = checks.filter((c) => c.verdict !== "confirmed").length;
        out(`${checks.length} table entries checked, ${checks.length - differing} confirmed within ${tolerance}%, ${differing} to correct`);
        if (json) writeFileSync(json, JSON.stringify(checks, null, 2) + "\n");
        return differing > 0 ? 1 : 0;
    } catch (e) {
        if (e instanceof UsageError) {
            err(`error: ${e.message}`);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
