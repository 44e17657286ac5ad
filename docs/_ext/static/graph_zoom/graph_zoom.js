// Graphs full size: every computation graph the build drew on this page opens full size on a
// tap, a click or Enter (full_size.mjs, which the in-browser runner uses for the graphs it
// draws). The page's own copy of each graph stays as it was: readable on a phone, scrolling
// sideways when it is wide (docs/_ext/figure_alt_text.py). See docs/_ext/graph_zoom.py.

import {zoomable} from "./full_size.mjs";

document.querySelectorAll("article img.mg-graph").forEach(zoomable);
