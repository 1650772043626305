#include "setup/result_fields.hpp"

#include <cctype>
#include <cmath>

namespace rotormag::setup {

postproc::FieldData fields_for_output(const solver::Solution& s) {
  postproc::FieldData f;
  f.A_Wb_per_m = s.A;
  const size_t ne = s.Bx.size();
  f.B_T.resize(3 * ne);
  f.H_A_per_m.resize(3 * ne);
  f.Bmag_T.resize(ne);
  for (size_t e = 0; e < ne; ++e) {
    f.B_T[3 * e] = s.Bx[e]; f.B_T[3 * e + 1] = s.By[e]; f.B_T[3 * e + 2] = 0;
    f.H_A_per_m[3 * e] = s.Hx[e]; f.H_A_per_m[3 * e + 1] = s.Hy[e]; f.H_A_per_m[3 * e + 2] = 0;
    f.Bmag_T[e] = std::hypot(s.Bx[e], s.By[e]);
  }
  f.Hm_A_per_m = s.Hm;
  return f;
}

std::string file_label(std::string s) {
  for (char& ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.')) ch = '_';
  return s;
}

postproc::FieldData demag_fields(const solver::DemagSetup& setup, const solver::DemagSummary& d,
                                 const solver::Solution& field, size_t cells) {
  const size_t ne = setup.is_magnet.size();
  postproc::FieldData f = fields_for_output(field);
  auto cell_array = [&](const std::string& name, const char* units, const std::vector<double>& base, double outside) {
    postproc::FieldData::CellArray a{name, units, std::vector<double>(cells, outside)};
    for (size_t t = 0; t < ne; ++t) a.values[t] = setup.is_magnet[t] ? base[t] : outside;
    f.extra_cells.push_back(std::move(a));
  };
  cell_array("demag_coef", "1", d.final_state.demag_coef, 1.0);
  cell_array("Br_eff", "T", d.final_state.remanence_T, 0.0);
  cell_array("margin", "A/m", d.final_state.margin, 0.0);
  cell_array("worst_h", "A/m", d.final_state.worst_h, 0.0);
  std::vector<double> hk(ne, 0.0);
  for (size_t t = 0; t < ne; ++t)
    if (setup.is_magnet[t]) hk[t] = setup.knee[t].knee_field_A_per_m();
  cell_array("knee_field", "A/m", hk, 0.0);
  for (const auto& e : d.events) {
    const std::string tag = file_label(e.name);
    cell_array("demag_coef_" + tag, "1", e.state.demag_coef, 1.0);
    cell_array("Br_eff_" + tag, "T", e.state.remanence_T, 0.0);
    cell_array("margin_" + tag, "A/m", e.state.margin, 0.0);
    cell_array("Hm_" + tag, "A/m", e.state.Hm, 0.0);
  }
  return f;
}

}  // namespace rotormag::setup
