export { OnPremHosts, type OnPremHostsArgs, ANSIBLE_DIR } from "./onPremHosts";
