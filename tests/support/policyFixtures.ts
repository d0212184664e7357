/**
 * Hand-written resource graphs for policy tests, in the plan format the analyzer is fed.
 * A fixture is declared once with references between resources (`f.ref(x)`, `f.arn(x)`,
 * `f.computed(v)`) and materialised in either shape the engine sends:
 *  - update: references are the referenced resource's ID/ARN, computed values known;
 *  - preview: references and computed values are Pulumi's unknown sentinel, IDs null;
 * with propertyDependencies recording the references in both.
 */
import { PlannedResource } from "../../tools/offline";
import { UNKNOWN } from "../../tools/mocks";

export type Mode = "update" | "preview";

const REF = Symbol("ref");
type Marker = { [REF]: { urn: string; value: (mode: Mode) => unknown } };

export interface Declared {
    urn: string;
    type: string;
    name: string;
    props: Record<string, unknown>;
    parent: string | null;
    provider: string | null;
    custom: boolean;
}

const shortType = (type: string) => type.split(":").pop()!.toLowerCase();

export class Fixture {
    private readonly declared: Declared[] = [];
    readonly stackUrn: string;
    private readonly providerUrn: string;
    private readonly k8sProviderUrn: string;

    constructor(
        readonly environment: string = "production",
        readonly stack = "fixture",
    ) {
        this.stackUrn = `urn:pulumi:${stack}::hybrid-platform::pulumi:pulumi:Stack::hybrid-platform-${stack}`;
        this.declared.push({
            urn: this.stackUrn,
            type: "pulumi:pulumi:Stack",
            name: `hybrid-platform-${stack}`,
            props: {},
            parent: null,
            provider: null,
            custom: false,
        });
        this.providerUrn = this.urnOf("pulumi:providers:aws", "aws");
        this.declared.push({
            urn: this.providerUrn,
            type: "pulumi:providers:aws",
            name: "aws",
            props: { region: "eu-west-2", defaultTags: JSON.stringify({ tags: { environment, role: "prod", project: "hybrid-platform" } }) },
            parent: this.stackUrn,
            provider: null,
            custom: true,
        });
        this.k8sProviderUrn = this.urnOf("pulumi:providers:kubernetes", "k8s");
        this.declared.push({
            urn: this.k8sProviderUrn,
            type: "pulumi:providers:kubernetes",
            name: "k8s",
            props: {},
            parent: this.stackUrn,
            provider: null,
            custom: true,
        });
    }

    private urnOf(type: string, name: string) {
        return `urn:pulumi:${this.stack}::hybrid-platform::pulumi:pulumi:Stack$${type}::${name}`;
    }

    /** Declares a resource; returns a handle for references. */
    add(type: string, name: string, props: Record<string, unknown> = {}): Declared {
        const urn = this.urnOf(type, name);
        const custom = !type.startsWith("hybrid:") && type !== "eks:index:Cluster";
        const provider = type.startsWith("kubernetes:")
            ? this.k8sProviderUrn
            : type.startsWith("aws:") || type === "eks:index:Cluster"
              ? this.providerUrn
              : null;
        const d: Declared = { urn, type, name, props, parent: this.stackUrn, provider, custom };
        this.declared.push(d);
        return d;
    }

    /** Removes a declared resource (to build "missing" variants). */
    remove(d: Declared): void {
        this.declared.splice(this.declared.indexOf(d), 1);
    }

    idOf(d: Declared): string {
        return `${shortType(d.type)}-${d.name}`;
    }

    arnOf(d: Declared): string {
        return `arn:aws:${d.type.split(":")[1]?.split("/")[0]}:eu-west-2:111122223333:${shortType(d.type)}/${d.name}`;
    }

    /** The resource's ID as a prop value (unknown in preview). */
    ref(d: Declared): unknown {
        return { [REF]: { urn: d.urn, value: (mode: Mode) => (mode === "preview" ? UNKNOWN : this.idOf(d)) } } as Marker;
    }

    /** The resource's ARN as a prop value (unknown in preview). */
    arn(d: Declared): unknown {
        return { [REF]: { urn: d.urn, value: (mode: Mode) => (mode === "preview" ? UNKNOWN : this.arnOf(d)) } } as Marker;
    }

    /** A value computed from d's outputs (e.g. a policy document embedding its ARN): unknown in preview. */
    computed(d: Declared, value: unknown): unknown {
        return { [REF]: { urn: d.urn, value: (mode: Mode) => (mode === "preview" ? UNKNOWN : value) } } as Marker;
    }

    /** A value read from d's outputs that is known in both modes (a StackReference's outputs are read at preview). */
    known(d: Declared, value: unknown): unknown {
        return { [REF]: { urn: d.urn, value: () => value } } as Marker;
    }

    resources(mode: Mode): PlannedResource[] {
        return this.declared.map((d) => {
            const deps = new Map<string, Set<string>>();
            const materialise = (v: unknown, key: string): unknown => {
                if (Array.isArray(v)) return v.map((x) => materialise(x, key));
                if (v !== null && typeof v === "object") {
                    const marker = (v as Marker)[REF];
                    if (marker) {
                        (deps.get(key) ?? deps.set(key, new Set()).get(key)!).add(marker.urn);
                        return marker.value(mode);
                    }
                    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, materialise(x, key)]));
                }
                return v;
            };
            const props = Object.fromEntries(Object.entries(d.props).map(([k, v]) => [k, materialise(v, k)]));
            if (d.custom && !d.type.startsWith("pulumi:providers:") && d.type.startsWith("aws:")) props.arn = mode === "preview" ? UNKNOWN : this.arnOf(d);
            const propertyDependencies = Object.fromEntries([...deps].map(([k, s]) => [k, [...s]]));
            return {
                urn: d.urn,
                type: d.type,
                name: d.name,
                id: d.custom && mode === "update" ? this.idOf(d) : null,
                parent: d.parent,
                custom: d.custom,
                provider: d.provider ? `${d.provider}::${mode === "preview" ? UNKNOWN : "provider-id"}` : null,
                protect: false,
                props,
                dependencies: [...new Set(Object.values(propertyDependencies).flat())],
                propertyDependencies,
            };
        });
    }
}

/** A three-AZ, three-tier network like NetworkTier's, for graph policies. */
export function network(f: Fixture, opts: { azs?: number; singleNat?: boolean } = {}) {
    const azs = ["eu-west-2a", "eu-west-2b", "eu-west-2c"].slice(0, opts.azs ?? 3);
    const vpc = f.add("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.10.0.0/16" });
    const igw = f.add("aws:ec2/internetGateway:InternetGateway", "igw", { vpcId: f.ref(vpc) });
    const tiers = { public: [] as Declared[], private: [] as Declared[], isolated: [] as Declared[] };
    const tables = { public: [] as Declared[], private: [] as Declared[], isolated: [] as Declared[] };
    const nats: Declared[] = [];
    azs.forEach((az, i) => {
        for (const tier of ["public", "private", "isolated"] as const) {
            const s = f.add("aws:ec2/subnet:Subnet", `${tier}-${i}`, {
                vpcId: f.ref(vpc),
                cidrBlock: `10.10.${i * 16 + { public: 0, private: 4, isolated: 8 }[tier]}.0/22`,
                availabilityZone: az,
                mapPublicIpOnLaunch: false,
                tags: { "hybrid:tier": tier },
            });
            tiers[tier].push(s);
            const rt = f.add("aws:ec2/routeTable:RouteTable", `${tier}-${i}`, { vpcId: f.ref(vpc), tags: { "hybrid:tier": tier } });
            f.add("aws:ec2/routeTableAssociation:RouteTableAssociation", `${tier}-${i}`, { routeTableId: f.ref(rt), subnetId: f.ref(s) });
            tables[tier].push(rt);
        }
        if (!opts.singleNat || i === 0) {
            const eip = f.add("aws:ec2/eip:Eip", `nat-${i}`, { domain: "vpc" });
            nats.push(f.add("aws:ec2/natGateway:NatGateway", `nat-${i}`, { allocationId: f.ref(eip), subnetId: f.ref(tiers.public[i]) }));
        }
        f.add("aws:ec2/route:Route", `public-${i}-internet`, {
            routeTableId: f.ref(tables.public[i]),
            destinationCidrBlock: "0.0.0.0/0",
            gatewayId: f.ref(igw),
        });
        f.add("aws:ec2/route:Route", `private-${i}-egress`, {
            routeTableId: f.ref(tables.private[i]),
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: f.ref(nats[Math.min(i, nats.length - 1)]),
        });
    });
    return { vpc, igw, subnets: tiers, tables, nats };
}

/**
 * The committed graphs' accepted deviations: declared, reasoned opt-outs that the pack reports
 * as advisory (a singleton Deployment such as celery-beat, an SSE-S3 log bucket for the ALB, the
 * DR pilot light's one node per AZ set in policy/config/dr.json). Baseline checks allow exactly
 * those and nothing else.
 */
export const isDeclaredOptOut = (message: string): boolean => /declared (singleton|SSE-S3|internet egress) \(|by this stack's policy config \(/.test(message);
