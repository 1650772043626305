#pragma once
// Exact references for the motor-like problems of the validation ladder
// (shared/reference/validation_ladder.md): T3 (diametric ring between
// infinitely permeable iron, sec. 1.4), T4 (slotless surface-PM air-gap
// field, sec. 1.5) and T6 (torque on a magnet in a uniform field, sec. 1.7).
// T1/T2/T7 are in analytic_references.hpp.
//
// Conventions of the ladder, used throughout:
//   A = A_z; B_x = dA/dy, B_y = -dA/dx; polar B_r = (1/r) dA/dtheta, B_theta = -dA/dr;
//   magnet law B = mu0 mu_r H + Br (vector) = mu0 (mu_r H + M), M = Br / mu0.
//   Infinitely permeable iron: H = 0 inside, so tangential H vanishes on its
//   surface; this is the natural boundary (n x H = 0) of the A formulation.
// SI units: lengths in m, B in T, H and M in A/m, A in T m (Wb/m), torque in N m.
#include <array>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "kernels/config.hpp"

namespace rotormag::validation {

namespace detail {

constexpr double pi = 3.14159265358979323846;

// Gaussian elimination with partial pivoting for the small interface systems.
template <std::size_t N>
std::array<double, N> solve_dense(std::array<std::array<double, N>, N> M, std::array<double, N> b) {
  for (std::size_t c = 0; c < N; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < N; ++r)
      if (std::abs(M[r][c]) > std::abs(M[p][c])) p = r;
    if (M[p][c] == 0.0) throw std::runtime_error("motor_references: singular interface system");
    std::swap(M[c], M[p]);
    std::swap(b[c], b[p]);
    for (std::size_t r = c + 1; r < N; ++r) {
      const double f = M[r][c] / M[c][c];
      for (std::size_t j = c; j < N; ++j) M[r][j] -= f * M[c][j];
      b[r] -= f * b[c];
    }
  }
  std::array<double, N> x{};
  for (std::size_t r = N; r-- > 0;) {
    double s = b[r];
    for (std::size_t j = r + 1; j < N; ++j) s -= M[r][j] * x[j];
    x[r] = s / M[r][r];
  }
  return x;
}

}  // namespace detail

// ===========================================================================
// T3: diametrically magnetized ring between mu = inf rotor core and stator.
// ===========================================================================
//
// Magnet Rr < r < Rm (recoil mu_r, remanence Br along +x), air gap Rm < r < Rs,
// iron with mu = inf for r < Rr and r > Rs. Br along x is Br (cos t, -sin t)
// in polar components, so every layer carries the single mode
//   A = (C r + D / r) sin(theta),
//   B_r = (C + D/r^2) cos(theta),   B_theta = -(C - D/r^2) sin(theta),
//   H_theta = [B_theta - Br_theta] / (mu0 mu) = [-(C - D/r^2) + Br] sin(theta) / (mu0 mu)
// (Br = 0, mu = 1 in the gap). Unknowns: C, D of the magnet and of the gap.
// Four conditions:
//   (1) r = Rr, magnet side: H_theta = 0 (iron surface)  ->  -(C_m - D_m/Rr^2) + Br = 0
//   (2) r = Rm: A continuous                               ->  C_m Rm + D_m/Rm = C_g Rm + D_g/Rm
//   (3) r = Rm: H_theta continuous  ->  [-(C_m - D_m/Rm^2) + Br] / mu_r = -(C_g - D_g/Rm^2)
//   (4) r = Rs, gap side: H_theta = 0 (iron surface)      ->  C_g - D_g/Rs^2 = 0
// The ladder's wording "A and H_theta continuous at Rr, Rm, Rs" means exactly
// this: in mu = inf iron H = 0, so H_theta continuity at Rr and Rs reduces to
// H_theta = 0 there and A in the iron is whatever matches (it carries no
// unknown of its own). B_r continuity at Rm follows from (2).
struct DiametricRing {
  double Rr;    // rotor iron radius [m]
  double Rm;    // magnet outer radius [m]
  double Rs;    // stator bore radius [m]
  double mu_r;  // recoil permeability of the magnet
  double Br;    // remanence along +x [T]
};

struct DiametricRingField {
  enum Layer { magnet = 0, gap = 1 };

  DiametricRing ring{};
  std::array<double, 2> C{};  // [T]     coefficient of r sin(theta), per layer
  std::array<double, 2> D{};  // [T m^2] coefficient of sin(theta)/r, per layer

  Layer layer_at(double r) const { return r < ring.Rm ? magnet : gap; }

  // Values of a given layer's formula (also at the interfaces, from either side).
  double A_in(Layer l, double r, double theta) const { return (C[l] * r + D[l] / r) * std::sin(theta); }
  double B_r_in(Layer l, double r, double theta) const { return (C[l] + D[l] / (r * r)) * std::cos(theta); }
  double B_theta_in(Layer l, double r, double theta) const { return -(C[l] - D[l] / (r * r)) * std::sin(theta); }
  double H_theta_in(Layer l, double r, double theta) const {  // [A/m]
    const double Br = l == magnet ? ring.Br : 0.0, mu = l == magnet ? ring.mu_r : 1.0;
    return (-(C[l] - D[l] / (r * r)) + Br) * std::sin(theta) / (kernels::mu0 * mu);
  }

  // Rr <= r <= Rs; the magnet formula for r < Rm, the gap formula otherwise.
  double A(double r, double theta) const { return A_in(layer_at(r), r, theta); }
  double B_r(double r, double theta) const { return B_r_in(layer_at(r), r, theta); }
  double B_theta(double r, double theta) const { return B_theta_in(layer_at(r), r, theta); }
  double A_xy(double x, double y) const { return A(std::hypot(x, y), std::atan2(y, x)); }
};

// The general solution, any mu_r: the 4x4 system (1)-(4) above.
inline DiametricRingField diametric_ring_general(const DiametricRing& ring) {
  const double Rr = ring.Rr, Rm = ring.Rm, Rs = ring.Rs, mu = ring.mu_r, Br = ring.Br;
  // unknowns u = (C_m, D_m, C_g, D_g)
  const std::array<std::array<double, 4>, 4> M{{
      {-1.0, 1.0 / (Rr * Rr), 0.0, 0.0},                        // (1)
      {Rm, 1.0 / Rm, -Rm, -1.0 / Rm},                           // (2)
      {-1.0 / mu, 1.0 / (mu * Rm * Rm), 1.0, -1.0 / (Rm * Rm)}, // (3)
      {0.0, 0.0, 1.0, -1.0 / (Rs * Rs)},                        // (4)
  }};
  const std::array<double, 4> rhs{-Br, 0.0, -Br / mu, 0.0};
  const auto u = detail::solve_dense<4>(M, rhs);
  DiametricRingField f;
  f.ring = ring;
  f.C = {u[0], u[2]};
  f.D = {u[1], u[3]};
  return f;
}

// The ladder's closed form, valid for mu_r = 1 only:
//   gap:    A = g (r + Rs^2/r) sin(theta), g = Br (Rm^2 - Rr^2) / (2 (Rs^2 - Rr^2))
//           (C_g = g, D_g = g Rs^2: condition (4) holds by construction);
//   magnet: A = (alpha r + beta/r) sin(theta), alpha = Br + beta/Rr^2 (condition (1)),
//           beta = [g (1 + Rs^2/Rm^2) - Br] / (1/Rm^2 + 1/Rr^2) (condition (2));
//   condition (3) with mu_r = 1 then fixes g to the value above.
inline DiametricRingField diametric_ring_closed_form(const DiametricRing& ring) {
  if (ring.mu_r != 1.0) throw std::invalid_argument("diametric_ring_closed_form: needs mu_r = 1");
  const double Rr = ring.Rr, Rm = ring.Rm, Rs = ring.Rs, Br = ring.Br;
  const double g = Br * (Rm * Rm - Rr * Rr) / (2 * (Rs * Rs - Rr * Rr));
  const double beta = (g * (1 + Rs * Rs / (Rm * Rm)) - Br) / (1 / (Rm * Rm) + 1 / (Rr * Rr));
  const double alpha = Br + beta / (Rr * Rr);
  DiametricRingField f;
  f.ring = ring;
  f.C = {alpha, g};
  f.D = {beta, g * Rs * Rs};
  return f;
}

// ===========================================================================
// T4: slotless surface-PM machine, open-circuit air-gap field.
// ===========================================================================
//
// Internal rotor: iron (mu = inf) r < Rr, magnet annulus Rr < r < Rm of recoil
// mu_r everywhere (the inter-polar gaps too), air Rm < r < Rs, smooth stator
// iron (mu = inf) r > Rs. p pole pairs, pole arc alpha_p * pi/p; theta is
// measured from the d-axis of a N pole (rotor_angle shifts the rotor:
// every formula uses theta - rotor_angle).
enum class Magnetization { radial, parallel };

struct SlotlessSpm {
  double Rr;       // rotor iron radius [m]
  double Rm;       // magnet outer radius [m]
  double Rs;       // stator bore radius [m]
  int p;           // pole pairs
  double alpha_p;  // pole-arc / pole-pitch ratio, 0 < alpha_p <= 1
  double Br;       // remanence [T]
  double mu_r;     // recoil permeability of the magnet annulus
  Magnetization magnetization;
  int harmonics;            // number of odd harmonics kept: n = 1, 3, ..., 2 harmonics - 1
  double rotor_angle = 0.0; // mechanical angle of the N-pole d-axis [rad]
};

// One harmonic of the magnetization, k = n p:
//   M_r = sum M_rn cos(k theta), M_theta = sum M_thetan sin(k theta).
// Fourier coefficients over one period 2 pi/p of the piecewise pattern (N pole
// on |theta| < beta = alpha_p pi/(2p), S pole opposite at pi/p; the half-wave
// antisymmetry leaves odd n only, N and S contributing equally):
//   radial:   M_r = M on the N pole   -> M_rn = 2 M alpha_p sin(n pi alpha_p/2) / (n pi alpha_p/2);
//   parallel: M = M x_hat on the N pole, i.e. M_r = M cos(theta), M_theta = -M sin(theta)
//             -> M_rn = M alpha_p (A1n + A2n), M_thetan = M alpha_p (A1n - A2n),
//             A1n = sinc((k+1) beta), A2n = sinc((k-1) beta) (= 1 at k = 1), sinc(x) = sin(x)/x.
struct MagnetizationHarmonic {
  int n = 1, k = 1;
  double M_r = 0, M_theta = 0;  // [A/m]
  // div M = M_n cos(k theta) / r: the magnetic charge density that drives the scalar potential.
  double M_n() const { return M_r + k * M_theta; }
  // (curl M)_z = (M_theta + k M_r) sin(k theta) / r: the source of the vector potential.
  double curl() const { return M_theta + k * M_r; }
};

inline MagnetizationHarmonic magnetization_harmonic(const SlotlessSpm& m, int n) {
  if (n < 1 || n % 2 == 0) throw std::invalid_argument("magnetization_harmonic: n must be odd and positive");
  const double M = m.Br / kernels::mu0;
  MagnetizationHarmonic h;
  h.n = n;
  h.k = n * m.p;
  if (m.magnetization == Magnetization::radial) {
    const double x = n * detail::pi * m.alpha_p / 2;
    h.M_r = 2 * M * m.alpha_p * std::sin(x) / x;
    h.M_theta = 0;
  } else {
    const double beta = m.alpha_p * detail::pi / (2 * m.p);
    auto sinc = [](double x) { return x == 0 ? 1.0 : std::sin(x) / x; };
    const double A1 = sinc((h.k + 1) * beta), A2 = h.k == 1 ? 1.0 : sinc((h.k - 1) * beta);
    h.M_r = M * m.alpha_p * (A1 + A2);
    h.M_theta = M * m.alpha_p * (A1 - A2);
  }
  return h;
}

// K_n [T] of the Zhu-Howe-Chan (2002) unified form, as written in the ladder.
// k != 1 (gap field B_r = K_n [(r/Rs)^(k-1) (Rm/Rs)^(k+1) + (Rm/r)^(k+1)] cos k theta):
//   K_n = (mu0 M_n/mu_r) k/(k^2-1) {(A3n-1) + 2 (Rr/Rm)^(k+1) - (A3n+1)(Rr/Rm)^(2k)}
//         / {((mu_r+1)/mu_r)[1 - (Rr/Rs)^(2k)] - ((mu_r-1)/mu_r)[(Rm/Rs)^(2k) - (Rr/Rm)^(2k)]},
//   A3n = (k - 1/k) M_rn/M_n + 1/k.
// A3n is 0/0 when M_n = 0 (parallel magnets with n alpha_p an odd integer, e.g.
// every harmonic at alpha_p = 1, where div M = 0 and only the pole-edge
// surface charges drive the field), so the numerator is evaluated as
//   M_n {..} = (M_n A3n)(1 - x^(2k)) - M_n (1 - 2 x^(k+1) + x^(2k)),  x = Rr/Rm,
//   M_n A3n  = (k - 1/k) M_rn + M_n / k,
// which is the same expression, regular for every M_n.
// k = 1 (p = 1, n = 1), the ladder's derived formula, whose K_1 multiplies a
// different radial shape (gap field B_r = K_1 (1 + Rs^2/r^2) cos theta):
//   K_1 = -mu0 Rm^2 [(M_1/2)(Rm^2 - Rr^2 - 2 Rr^2 ln(Rm/Rr)) - M_r1 (Rm^2 - Rr^2)]
//         / [(Rm^2 + Rs^2)(Rm^2 - Rr^2) + mu_r (Rm^2 + Rr^2)(Rs^2 - Rm^2)].
inline double zhu_coefficient(const SlotlessSpm& m, int n) {
  const MagnetizationHarmonic h = magnetization_harmonic(m, n);
  const double k = h.k, mu = m.mu_r, mu0 = kernels::mu0;
  const double Rr = m.Rr, Rm = m.Rm, Rs = m.Rs;
  if (h.k == 1) {
    const double Rr2 = Rr * Rr, Rm2 = Rm * Rm, Rs2 = Rs * Rs;
    const double num = (h.M_n() / 2) * (Rm2 - Rr2 - 2 * Rr2 * std::log(Rm / Rr)) - h.M_r * (Rm2 - Rr2);
    const double den = (Rm2 + Rs2) * (Rm2 - Rr2) + mu * (Rm2 + Rr2) * (Rs2 - Rm2);
    return -mu0 * Rm2 * num / den;
  }
  const double x = Rr / Rm;
  const double x_k1 = std::pow(x, k + 1), x_2k = std::pow(x, 2 * k);
  const double Mn_A3 = (k - 1 / k) * h.M_r + h.M_n() / k;
  const double num = Mn_A3 * (1 - x_2k) - h.M_n() * (1 - 2 * x_k1 + x_2k);
  const double den = (mu + 1) / mu * (1 - std::pow(Rr / Rs, 2 * k)) -
                     (mu - 1) / mu * (std::pow(Rm / Rs, 2 * k) - x_2k);
  return mu0 / mu * k / (k * k - 1) * num / den;
}

// Amplitudes of one harmonic at radius r:
//   B_r = B_r_amp cos(k t), B_theta = B_theta_amp sin(k t), A = A_amp sin(k t), t = theta - rotor_angle.
struct HarmonicAmplitudes {
  double B_r = 0, B_theta = 0, A = 0;  // [T], [T], [T m]
};

namespace detail {
// sum_i amplitude(i).*part * (sin or cos)(k(i) t) over the harmonics i < count.
template <class K, class Amplitude>
double sum_harmonics(int count, double t, K&& k, Amplitude&& amplitude, double HarmonicAmplitudes::*part, bool sine) {
  double s = 0;
  for (int i = 0; i < count; ++i) {
    const double arg = k(i) * t;
    s += amplitude(i).*part * (sine ? std::sin(arg) : std::cos(arg));
  }
  return s;
}

// B_r, B_theta and A at (r, theta) of a field that is a sum of harmonics,
// from Derived::sum(r, theta, part, sine).
template <class Derived>
struct HarmonicSeries {
  double B_r(double r, double theta) const { return self().sum(r, theta, &HarmonicAmplitudes::B_r, false); }
  double B_theta(double r, double theta) const { return self().sum(r, theta, &HarmonicAmplitudes::B_theta, true); }
  double A(double r, double theta) const { return self().sum(r, theta, &HarmonicAmplitudes::A, true); }
  double A_xy(double x, double y) const { return A(std::hypot(x, y), std::atan2(y, x)); }

 private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }
};
}  // namespace detail

// The Zhu-Howe-Chan series in the air gap Rm <= r <= Rs.
//
// Potential: A = sum (r/k) B_rk(r) sin(k t). With the ladder's convention
// (B_r = (1/r) dA/dtheta, B_theta = -dA/dr) this is consistent with the series
// as written, no sign change needed: (1/r) d/dtheta gives B_rk cos(k t), and
//   -d/dr [(r/k) B_rk] = K [-(r/Rs)^(k-1) (Rm/Rs)^(k+1) + (Rm/r)^(k+1)] = B_thetak
// (k = 1: -d/dr [K_1 (r + Rs^2/r)] = K_1 (Rs^2/r^2 - 1)), term by term.
// Its additive constant is arbitrary: with natural conditions on both iron
// surfaces A is only fixed up to a constant. This series has zero mean in
// theta (A = 0 on every d-axis). A model of one pole pitch with anti-periodic
// conditions A(theta + pi/p) = -A(theta) admits no constant (c = -c), so it
// must reproduce this A exactly; a full model with natural conditions needs one
// pinned node and then differs from it by a constant.
class SlotlessSpmField : public detail::HarmonicSeries<SlotlessSpmField> {
  friend struct detail::HarmonicSeries<SlotlessSpmField>;

 public:
  explicit SlotlessSpmField(const SlotlessSpm& m) : m_(m) {
    if (!(m.Rr > 0 && m.Rr < m.Rm && m.Rm < m.Rs) || m.p < 1 || m.harmonics < 1 || !(m.alpha_p > 0 && m.alpha_p <= 1))
      throw std::invalid_argument("SlotlessSpmField: need 0 < Rr < Rm < Rs, p >= 1, harmonics >= 1, 0 < alpha_p <= 1");
    for (int i = 0; i < m.harmonics; ++i) K_.push_back(zhu_coefficient(m, 2 * i + 1));
  }

  const SlotlessSpm& machine() const { return m_; }
  int harmonic_count() const { return m_.harmonics; }
  int n(int i) const { return 2 * i + 1; }
  int k(int i) const { return (2 * i + 1) * m_.p; }
  double K(int i) const { return K_[i]; }  // zhu_coefficient(machine(), n(i))

  HarmonicAmplitudes harmonic(int i, double r) const {
    const int kk = k(i);
    const double Rm = m_.Rm, Rs = m_.Rs;
    HarmonicAmplitudes a;
    if (kk == 1) {
      const double s = Rs * Rs / (r * r);
      a.B_r = K_[i] * (1 + s);
      a.B_theta = K_[i] * (s - 1);
    } else {
      const double outer = std::pow(r / Rs, kk - 1) * std::pow(Rm / Rs, kk + 1);  // from the stator side
      const double inner = std::pow(Rm / r, kk + 1);                              // decays from the magnet
      a.B_r = K_[i] * (outer + inner);
      a.B_theta = K_[i] * (inner - outer);
    }
    a.A = r / kk * a.B_r;
    return a;
  }

 private:
  double sum(double r, double theta, double HarmonicAmplitudes::*part, bool sine) const {
    return detail::sum_harmonics(
        m_.harmonics, theta - m_.rotor_angle, [&](int i) { return k(i); }, [&](int i) { return harmonic(i, r); }, part,
        sine);
  }

  SlotlessSpm m_;
  std::vector<double> K_;
};

// --- Independent per-harmonic solves of the same boundary-value problem ---
//
// Both use per-layer bases scaled to be <= 1 inside their layer,
//   magnet: (r/Rm)^k, (Rr/r)^k;   gap: (r/Rs)^k, (Rm/r)^k,
// so the 4x4 systems stay well conditioned for large k.

// (a) Magnetic scalar potential, H = -grad phi, phi = f(r) cos(k t) [A].
//   gap:    lap phi = 0;
//   magnet: div(mu0 mu_r H + mu0 M) = 0  ->  lap phi = div M / mu_r = M_n cos(k t) / (mu_r r),
//           particular f_p = s r, s = M_n / (mu_r (1 - k^2))            (k != 1),
//                      f_p = s r ln(r/Rm), s = M_n / (2 mu_r)            (k = 1).
//   mu = inf iron: H_theta = k f / r sin(k t) = 0 -> f(Rr) = f(Rs) = 0 (the constant
//   iron potential is 0 because the mode has zero mean).
//   r = Rm: f continuous (H_theta), B_r = mu0(-mu_r f' + M_r) = -mu0 f' continuous.
// This is the route of Zhu et al. and of the ladder's own verification.
class ScalarPotentialHarmonic {
 public:
  ScalarPotentialHarmonic(const SlotlessSpm& m, int n) : m_(m), h_(magnetization_harmonic(m, n)) {
    const double k = h_.k, Rr = m.Rr, Rm = m.Rm, Rs = m.Rs, mu = m.mu_r;
    xk_ = std::pow(Rr / Rm, k);
    yk_ = std::pow(Rm / Rs, k);
    // unknowns u = (a_m, b_m, a_g, b_g): f_m = a_m (r/Rm)^k + b_m (Rr/r)^k + f_p, f_g = a_g (r/Rs)^k + b_g (Rm/r)^k
    const std::array<std::array<double, 4>, 4> M{{
        {xk_, 1.0, 0.0, 0.0},      // f_m(Rr) = 0
        {0.0, 0.0, 1.0, yk_},      // f_g(Rs) = 0
        {1.0, xk_, -yk_, -1.0},    // f_m(Rm) = f_g(Rm)
        {mu, -mu * xk_, -yk_, 1.0} // (Rm/k) [mu_r f_m'(Rm) - M_r - f_g'(Rm)] = 0
    }};
    const std::array<double, 4> rhs{-particular(Rr), 0.0, -particular(Rm),
                                    (h_.M_r - mu * particular_slope(Rm)) * Rm / k};
    u_ = detail::solve_dense<4>(M, rhs);
  }

  double phi(double r) const {  // f(r) [A]
    const double k = h_.k;
    if (r < m_.Rm) return u_[0] * std::pow(r / m_.Rm, k) + u_[1] * std::pow(m_.Rr / r, k) + particular(r);
    return u_[2] * std::pow(r / m_.Rs, k) + u_[3] * std::pow(m_.Rm / r, k);
  }
  double phi_slope(double r) const {  // f'(r) [A/m]
    const double k = h_.k;
    if (r < m_.Rm)
      return k / r * (u_[0] * std::pow(r / m_.Rm, k) - u_[1] * std::pow(m_.Rr / r, k)) + particular_slope(r);
    return k / r * (u_[2] * std::pow(r / m_.Rs, k) - u_[3] * std::pow(m_.Rm / r, k));
  }

  // Rr <= r <= Rs (magnet for r < Rm).
  HarmonicAmplitudes at(double r) const {
    const double mu0 = kernels::mu0, k = h_.k;
    HarmonicAmplitudes a;
    if (r < m_.Rm) {
      a.B_r = mu0 * (-m_.mu_r * phi_slope(r) + h_.M_r);
      a.B_theta = mu0 * (m_.mu_r * k * phi(r) / r + h_.M_theta);
    } else {
      a.B_r = -mu0 * phi_slope(r);
      a.B_theta = mu0 * k * phi(r) / r;
    }
    a.A = r / k * a.B_r;  // B_r = (1/r) dA/dtheta for A = A_amp sin(k t)
    return a;
  }

 private:
  double particular(double r) const {
    const double k = h_.k;
    if (h_.k == 1) return h_.M_n() / (2 * m_.mu_r) * r * std::log(r / m_.Rm);
    return h_.M_n() / (m_.mu_r * (1 - k * k)) * r;
  }
  double particular_slope(double r) const {
    const double k = h_.k;
    if (h_.k == 1) return h_.M_n() / (2 * m_.mu_r) * (std::log(r / m_.Rm) + 1);
    return h_.M_n() / (m_.mu_r * (1 - k * k));
  }

  SlotlessSpm m_;
  MagnetizationHarmonic h_;
  double xk_ = 0, yk_ = 0;
  std::array<double, 4> u_{};
};

// (b) Vector potential, the solver's own formulation: A = g(r) sin(k t) [T m].
//   curl H = 0 with H = (B - mu0 M)/(mu0 mu_r):  -lap A = mu0 (curl M)_z
//     = mu0 (M_theta + k M_r) sin(k t) / r   (0 in the gap),
//   particular g_p = q r, q = mu0 (M_theta + k M_r)/(k^2 - 1)        (k != 1),
//              g_p = q r ln(r/Rm), q = -mu0 (M_theta + M_r)/2          (k = 1).
//   B_r = k g / r cos(k t), B_theta = -g' sin(k t),
//   H_theta = (-g' - mu0 M_theta)/(mu0 mu_r) sin(k t) in the magnet, -g'/mu0 in the gap.
//   mu = inf iron: H_theta = 0 at Rr (magnet side) and Rs (gap side), the
//   natural conditions; r = Rm: g continuous, H_theta continuous.
// The sources differ from (a) (curl M instead of div M), so agreement of (a),
// (b) and the series is a genuine check. Unlike the series, (b) also gives the
// field inside the magnet.
class VectorPotentialHarmonic {
 public:
  VectorPotentialHarmonic(const SlotlessSpm& m, int n) : m_(m), h_(magnetization_harmonic(m, n)) {
    const double k = h_.k, Rr = m.Rr, Rm = m.Rm, Rs = m.Rs, mu = m.mu_r, mu0 = kernels::mu0;
    const double xk = std::pow(Rr / Rm, k), yk = std::pow(Rm / Rs, k);
    // unknowns u = (c_m, d_m, c_g, d_g): g_m = c_m (r/Rm)^k + d_m (Rr/r)^k + g_p, g_g = c_g (r/Rs)^k + d_g (Rm/r)^k
    const std::array<std::array<double, 4>, 4> M{{
        {xk, -1.0, 0.0, 0.0},             // (Rr/k) [g_m'(Rr) + mu0 M_theta] = 0
        {0.0, 0.0, 1.0, -yk},             // (Rs/k) g_g'(Rs) = 0
        {1.0, xk, -yk, -1.0},             // g_m(Rm) = g_g(Rm)
        {1.0 / mu, -xk / mu, -yk, 1.0},   // (Rm/k) [(g_m'(Rm) + mu0 M_theta)/mu_r - g_g'(Rm)] = 0
    }};
    const std::array<double, 4> rhs{-(particular_slope(Rr) + mu0 * h_.M_theta) * Rr / k, 0.0, -particular(Rm),
                                    -(particular_slope(Rm) + mu0 * h_.M_theta) * Rm / (k * mu)};
    u_ = detail::solve_dense<4>(M, rhs);
  }

  double g(double r) const { return g_in(r < m_.Rm, r); }
  double g_slope(double r) const { return g_slope_in(r < m_.Rm, r); }
  // One layer's formula (also at Rm from either side).
  double g_in(bool in_magnet, double r) const {
    const double k = h_.k;
    if (in_magnet) return u_[0] * std::pow(r / m_.Rm, k) + u_[1] * std::pow(m_.Rr / r, k) + particular(r);
    return u_[2] * std::pow(r / m_.Rs, k) + u_[3] * std::pow(m_.Rm / r, k);
  }
  double g_slope_in(bool in_magnet, double r) const {
    const double k = h_.k;
    if (in_magnet)
      return k / r * (u_[0] * std::pow(r / m_.Rm, k) - u_[1] * std::pow(m_.Rr / r, k)) + particular_slope(r);
    return k / r * (u_[2] * std::pow(r / m_.Rs, k) - u_[3] * std::pow(m_.Rm / r, k));
  }
  double H_theta_in(bool in_magnet, double r) const {  // amplitude of sin(k t) [A/m]
    const double mu0 = kernels::mu0;
    if (in_magnet) return (-g_slope_in(true, r) - mu0 * h_.M_theta) / (mu0 * m_.mu_r);
    return -g_slope_in(false, r) / mu0;
  }

  // Rr <= r <= Rs (magnet for r < Rm).
  HarmonicAmplitudes at(double r) const {
    HarmonicAmplitudes a;
    a.A = g(r);
    a.B_r = h_.k * a.A / r;
    a.B_theta = -g_slope(r);
    return a;
  }
  const MagnetizationHarmonic& magnetization() const { return h_; }

 private:
  double particular(double r) const {
    const double k = h_.k, mu0 = kernels::mu0;
    if (h_.k == 1) return -mu0 * h_.curl() / 2 * r * std::log(r / m_.Rm);
    return mu0 * h_.curl() / (k * k - 1) * r;
  }
  double particular_slope(double r) const {
    const double k = h_.k, mu0 = kernels::mu0;
    if (h_.k == 1) return -mu0 * h_.curl() / 2 * (std::log(r / m_.Rm) + 1);
    return mu0 * h_.curl() / (k * k - 1);
  }

  SlotlessSpm m_;
  MagnetizationHarmonic h_;
  std::array<double, 4> u_{};
};

// Sum of the vector-potential harmonics (b): the T4 field in magnet AND gap,
// Rr <= r <= Rs, for FE comparisons over the whole domain. Same zero-mean
// constant as SlotlessSpmField, equal to it in the gap. In the magnet, B_r
// jumps at the pole edges, so its series converges slowly there; A converges
// like 1/k^2 and is the quantity to compare.
class SlotlessSpmVectorPotential : public detail::HarmonicSeries<SlotlessSpmVectorPotential> {
  friend struct detail::HarmonicSeries<SlotlessSpmVectorPotential>;

 public:
  explicit SlotlessSpmVectorPotential(const SlotlessSpm& m) : m_(m) {
    for (int i = 0; i < m.harmonics; ++i) h_.emplace_back(m, 2 * i + 1);
  }
  const VectorPotentialHarmonic& harmonic(int i) const { return h_[i]; }

 private:
  double sum(double r, double theta, double HarmonicAmplitudes::*part, bool sine) const {
    return detail::sum_harmonics(
        static_cast<int>(h_.size()), theta - m_.rotor_angle, [&](int i) { return h_[i].magnetization().k; },
        [&](int i) { return h_[i].at(r); }, part, sine);
  }
  SlotlessSpm m_;
  std::vector<VectorPotentialHarmonic> h_;
};

// Full-pitch radial magnets (alpha_p = 1) seen near a pole centre, far from the
// pole edges compared with the layer thickness: the field there is the 1-D
// solution with B_theta = 0. div B = 0 gives B_r = c/r; curl H = 0 with both
// iron surfaces at the same scalar potential (the half-wave antisymmetry makes
// their difference zero) gives integral_Rr^Rs H_r dr = 0 with
// H_r = (c/r - Br)/(mu0 mu_r) in the magnet and c/(mu0 r) in the gap:
//   c = Br (Rm - Rr) / [ln(Rm/Rr) + mu_r ln(Rs/Rm)].
// The edges' influence decays like exp(-pi dtheta / ln(Rs/Rr)) (the strip
// u = ln r of width ln(Rs/Rr) in which Laplace's equation is conformal), dtheta
// the angular distance to the nearest pole edge.
inline double full_pitch_radial_B_r(double Rr, double Rm, double Rs, double Br, double mu_r, double r) {
  return Br * (Rm - Rr) / (std::log(Rm / Rr) + mu_r * std::log(Rs / Rm)) / r;
}

// ===========================================================================
// T6: torque on a rigid magnet in a uniform field.
// ===========================================================================

// Uniform field B0 (cos alpha, sin alpha). A = B0 (y cos alpha - x sin alpha)
// gives B_x = dA/dy = B0 cos alpha and B_y = -dA/dx = B0 sin alpha with the
// ladder's convention: the ladder's Dirichlet data are right as written.
struct UniformField {
  double B0;     // [T]
  double alpha;  // direction [rad]
  double A(double x, double y) const { return B0 * (y * std::cos(alpha) - x * std::sin(alpha)); }
  double B_x() const { return B0 * std::cos(alpha); }
  double B_y() const { return B0 * std::sin(alpha); }
};

// Moment [A m^2] of a rigid magnet (mu_r = 1, so M = Hc = Br/mu0 everywhere in
// it) of volume V [m^3]. The FEMM benchmark bar: 1e6 A/m * (1 cm x 0.5 cm x 2 cm) = 1 A m^2.
inline double rigid_magnet_moment(double Hc, double volume) { return Hc * volume; }

// Torque about z [N m] on a moment m at angle theta_m in the field B0 at angle
// alpha: (m x B)_z = m_x B_y - m_y B_x = m B0 sin(alpha - theta_m). Positive
// (counter-clockwise) when the field leads the magnet: the torque turns the
// magnet towards the field. A 2-D solver gives torque per unit depth: divide by the depth.
inline double dipole_torque(double m, double B0, double alpha, double theta_m) {
  return m * B0 * std::sin(alpha - theta_m);
}

}  // namespace rotormag::validation
