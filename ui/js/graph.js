// Cytoscape helpers shared by the organisation page (small ego picture) and the network explorer.
// cytoscape.js is loaded as a classic script (/ui/vendor/cytoscape.min.js, from npm) and so is a
// global; when the set-up did not install it, the views say so instead of failing.

const KIND_COLOURS = {
  HES: "#1b7837", REC: "#5aae61", PRC: "#2166ac", PUB: "#8073ac", OTH: "#999999",
  sme: "#d6604d", university: "#1b7837", "research-institute": "#5aae61", "research-unit": "#a6dba0",
  "regional-development-agency": "#e08214", ministry: "#542788", directorate: "#8073ac",
  agency: "#b2abd2", association: "#fdb863", "patent-office": "#b35806", "national-authority": "#542788",
  "large-company": "#4393c3",
};
const PALETTE = ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#66c2a5",
  "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854"];

export function cytoscapeAvailable() {
  return typeof window.cytoscape === "function";
}

export function kindColour(kind) {
  return KIND_COLOURS[kind] || "#777777";
}

export function communityColour(community) {
  if (community === null || community === undefined || community < 0) return "#bbbbbb";
  return PALETTE[community % PALETTE.length];
}

export function legendFor(colourBy, nodes) {
  const seen = new Map();
  for (const node of nodes) {
    const key = colourBy === "community" ? node.community : node.kind;
    if (!seen.has(key)) seen.set(key, colourBy === "community" ? communityColour(key) : kindColour(key));
  }
  return [...seen.entries()].map(([key, colour]) => ({ key: key ?? "unknown", colour }));
}

export function elements(ego, colourBy = "kind") {
  const nodes = ego.nodes.map((node) => ({
    data: {
      id: node.id, label: shortLabel(node.label), full: node.label, kind: node.kind, country: node.country,
      region: node.region, partners: node.partners, community: node.community, depth: node.depth ?? 1,
      colour: colourBy === "community" ? communityColour(node.community) : kindColour(node.kind),
      size: 14 + Math.min(30, Math.sqrt(node.partners || 1) * 3),
    },
  }));
  const edges = ego.edges.map((edge) => ({
    data: {
      id: `${edge.source}|${edge.target}`, source: edge.source, target: edge.target,
      projects: edge.projects, width: 1 + Math.min(8, Math.log2(1 + edge.projects)),
    },
  }));
  return [...nodes, ...edges];
}

export function shortLabel(label) {
  return label.length > 28 ? `${label.slice(0, 26)}…` : label;
}

export const STYLE = [
  { selector: "node", style: {
    "background-color": "data(colour)", label: "data(label)", width: "data(size)", height: "data(size)",
    "font-size": 9, "text-valign": "bottom", "text-margin-y": 3, color: "#222", "text-outline-color": "#fff",
    "text-outline-width": 2,
  } },
  { selector: "node.centre", style: { "border-width": 3, "border-color": "#111" } },
  { selector: "node.on-path", style: { "border-width": 4, "border-color": "#f0a202" } },
  { selector: "node:selected", style: { "border-width": 3, "border-color": "#000" } },
  { selector: "edge", style: { width: "data(width)", "line-color": "#c7c7c7", "curve-style": "haystack", opacity: 0.8 } },
  { selector: "edge.on-path", style: { "line-color": "#f0a202", width: 6, opacity: 1, "z-index": 10 } },
];

export function createGraph(container, ego, { colourBy = "kind", centre = null, layout = "cose" } = {}) {
  const cy = window.cytoscape({
    container, elements: elements(ego, colourBy), style: STYLE,
    layout: layout === "concentric"
      ? { name: "concentric", animate: false, concentric: (n) => 3 - n.data("depth"), levelWidth: () => 1, minNodeSpacing: 18 }
      : { name: layout, animate: false, randomize: false, nodeRepulsion: 9000, idealEdgeLength: 70 },
  });
  if (centre) cy.getElementById(centre).addClass("centre");
  return cy;
}
