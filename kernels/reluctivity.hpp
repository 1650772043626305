#pragma once
// Material laws H(B) evaluated per quadrature point on the device.
// Every law gives H, the tangent dH/dB (2x2, symmetric) and the stored
// energy density w = integral_0^B H . dB'. The tangent is positive definite
// whenever dH/dB > 0 along B, which keeps the Newton system SPD for CG.
#include <cmath>

#include "kernels/config.hpp"

namespace rotormag::kernels {

// The kinds of material law, shared with the solver (solver::MaterialSpec::Kind
// is this enum): one list from the solver's problem down to the device.
enum class LawKind : int {
  linear = 0,                   // H = nu B
  magnet = 1,                   // H = nu (B - Br), Br per element (linear recoil)
  bh_curve = 2,                 // H(|B|) from a B-H table: monotone cubic Hermite, slope 1/mu0 beyond the table
  exponential_reluctivity = 3   // nu(B) = a + b exp(c B^2)
};

// Plain data, copied to the device. A table law points into the shared knot
// arrays (B, H, dH/dB and the cumulative energy at each knot).
struct ReluctivityLaw {
  LawKind kind = LawKind::linear;
  double nu = 1.0 / mu0;          // linear, magnet
  double a = 0, b = 0, c = 0;     // exponential_reluctivity
  int table_offset = 0, table_size = 0;
};

struct BHKnots {
  const double* B;       // strictly increasing, B[0] = 0
  const double* H;       // H at the knots
  const double* slope;   // dH/dB at the knots (monotone Hermite slopes)
  const double* energy;  // integral_0^{B_k} H dB
};

struct LawValue {
  double nu;        // H = nu B (secant reluctivity)
  double dHdB;      // derivative of |H| along |B|
  double energy;    // w(|B|)
};

// |H|(|B|) of a table law, with its derivative and energy.
RM_HOST_DEVICE inline LawValue table_law(const ReluctivityLaw& law, const BHKnots& k, double b) {
  const int o = law.table_offset, n = law.table_size;
  const double* B = k.B + o; const double* H = k.H + o;
  const double* d = k.slope + o; const double* W = k.energy + o;
  LawValue v;
  if (b >= B[n - 1]) {  // beyond the table: straight line of slope 1/mu0 (vacuum permeability)
    const double db = b - B[n - 1];
    const double h = H[n - 1] + db / mu0;
    v.dHdB = 1.0 / mu0;
    v.nu = b > 0 ? h / b : d[0];
    v.energy = W[n - 1] + H[n - 1] * db + 0.5 * db * db / mu0;
    return v;
  }
  int lo = 0, hi = n - 1;  // binary search: B[lo] <= b < B[hi]
  while (hi - lo > 1) {
    const int mid = (lo + hi) / 2;
    if (B[mid] <= b) lo = mid; else hi = mid;
  }
  const double hseg = B[hi] - B[lo];
  const double t = (b - B[lo]) / hseg;
  const double t2 = t * t, t3 = t2 * t;
  const double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + t, h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
  const double hval = h00 * H[lo] + h10 * hseg * d[lo] + h01 * H[hi] + h11 * hseg * d[hi];
  const double dh00 = 6 * t2 - 6 * t, dh10 = 3 * t2 - 4 * t + 1, dh01 = -6 * t2 + 6 * t, dh11 = 3 * t2 - 2 * t;
  v.dHdB = (dh00 * H[lo] + dh01 * H[hi]) / hseg + dh10 * d[lo] + dh11 * d[hi];
  v.nu = b > 1e-300 ? hval / b : d[0];
  // Energy of the partial segment: 3-point Gauss-Legendre is exact for the cubic.
  const double g = 0.7745966692414834, half = 0.5 * (b - B[lo]);
  double partial = 0;
  const double gp[3] = {-g, 0.0, g}, gw[3] = {5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0};
  for (int q = 0; q < 3; ++q) {
    const double s = 0.5 * t * (1 + gp[q]);  // local parameter in [0, t]
    const double s2 = s * s, s3 = s2 * s;
    const double hq = (2 * s3 - 3 * s2 + 1) * H[lo] + (s3 - 2 * s2 + s) * hseg * d[lo] +
                      (-2 * s3 + 3 * s2) * H[hi] + (s3 - s2) * hseg * d[hi];
    partial += gw[q] * hq;
  }
  v.energy = W[lo] + half * partial;
  return v;
}

// H, the tangent and the energy density at flux density (bx, by).
// br: remanence vector of the element (magnets only).
struct MaterialResponse {
  double hx, hy;           // A/m
  double k00, k01, k11;    // dH/dB
  double energy;           // J/m^3
};

RM_HOST_DEVICE inline MaterialResponse evaluate_law(const ReluctivityLaw& law, const BHKnots& knots,
                                                    double bx, double by, double brx, double bry) {
  MaterialResponse r;
  if (law.kind == LawKind::linear || law.kind == LawKind::magnet) {
    const double ex = law.kind == LawKind::magnet ? bx - brx : bx;
    const double ey = law.kind == LawKind::magnet ? by - bry : by;
    r.hx = law.nu * ex; r.hy = law.nu * ey;
    r.k00 = law.nu; r.k01 = 0; r.k11 = law.nu;
    r.energy = 0.5 * law.nu * (ex * ex + ey * ey);
    return r;
  }
  const double b2 = bx * bx + by * by;
  const double b = sqrt(b2);
  double nu, dHdB, energy;
  if (law.kind == LawKind::exponential_reluctivity) {
    const double e = exp(law.c * b2);
    nu = law.a + law.b * e;
    dHdB = nu + 2.0 * law.b * law.c * e * b2;  // d(nu b)/db
    energy = 0.5 * law.a * b2 + (law.c > 0 ? law.b * (e - 1.0) / (2.0 * law.c) : 0.5 * law.b * b2);
  } else {
    const LawValue v = table_law(law, knots, b);
    nu = v.nu; dHdB = v.dHdB; energy = v.energy;
  }
  r.hx = nu * bx; r.hy = nu * by;
  // dH/dB = nu I + (dH/d|B| - nu) Bhat Bhat^T: bounded as |B| -> 0, unlike
  // the dnu/d(B^2) form, which divides by |B| for tabulated curves.
  r.k00 = nu; r.k01 = 0; r.k11 = nu;
  if (b > 0) {
    const double ux = bx / b, uy = by / b, extra = dHdB - nu;
    r.k00 += extra * ux * ux; r.k01 += extra * ux * uy; r.k11 += extra * uy * uy;
  }
  r.energy = energy;
  return r;
}

}  // namespace rotormag::kernels
