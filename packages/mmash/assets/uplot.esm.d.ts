// The types of `/assets/uplot.esm.js`, which mmash serves from the installed uplot package:
// the type checker of the page's modules (tsconfig.assets.json) finds them here.
import uPlot from 'uplot';
export default uPlot;
