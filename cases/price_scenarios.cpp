// Rare-earth price scenarios (cases/materials/prices.toml, or a case's own
// tables): one table per scenario, one subtable per element. Keys:
// docs/case-file.md, "Price scenarios".
#include <algorithm>

#include "cases/material_reader.hpp"

namespace rotormag::cases::detail {
namespace {

std::optional<ElementPrice> read_element_price(TableReader& r) {
  ElementPrice p;
  const std::size_t before = r.log().issues().size();
  if (auto v = r.string("product", true)) {
    if (v->empty()) r.invalid("product", "product must not be empty (say what was quoted: 'Tb metal', 'Dy-Fe alloy')");
    p.product = *v;
  }
  if (auto v = r.number("price_per_t", true)) {
    if (!(*v > 0)) r.invalid("price_per_t", "price must be > 0, got " + fmt_number(*v));
    p.price_per_t = p.low_per_t = p.high_per_t = *v;
  }
  if (auto v = r.numbers("range_per_t")) {
    if (v->size() != 2 || !((*v)[0] > 0 && (*v)[0] <= (*v)[1]))
      r.invalid("range_per_t", "expected [low, high] with 0 < low <= high");
    else if (p.price_per_t > 0 && !((*v)[0] <= p.price_per_t && p.price_per_t <= (*v)[1]))
      r.invalid("range_per_t", "price_per_t " + fmt_number(p.price_per_t) + " is outside [" + fmt_number((*v)[0]) +
                                   ", " + fmt_number((*v)[1]) + "]");
    else {
      p.low_per_t = (*v)[0];
      p.high_per_t = (*v)[1];
    }
  }
  if (auto v = r.number("element_mass_fraction")) {
    if (!(*v > 0 && *v <= 1))
      r.invalid("element_mass_fraction", "mass of the element per mass of product must be in (0, 1], got " + fmt_number(*v));
    p.element_mass_fraction = *v;
  }
  if (auto v = r.string("date", true)) p.date = *v;
  if (auto v = r.string("source", true)) {
    if (v->empty()) r.invalid("source", "source must not be empty (say where the quote comes from)");
    p.source = *v;
  }
  r.finish();
  if (r.log().issues().size() != before) return std::nullopt;
  return p;
}

}  // namespace

std::optional<PriceScenario> read_price_scenario(TableReader& r, const std::string& name) {
  PriceScenario s;
  s.name = name;
  const std::size_t before = r.log().issues().size();
  if (auto v = r.string("currency", true)) {
    if (v->empty()) r.invalid("currency", "currency must not be empty (e.g. \"CNY\")");
    s.currency = *v;
  }
  if (auto v = r.string("source", true)) {
    if (v->empty()) r.invalid("source", "source must not be empty (say where the prices come from)");
    s.source = *v;
  }
  if (auto v = r.string("note")) s.note = *v;
  for (const char* element : {"Tb", "Dy", "PrNd", "Nd", "Ce"}) {
    const bool required = std::string(element) == "Tb" || std::string(element) == "Dy";
    if (const toml::table* t = r.subtable(element, required)) {
      TableReader er(r.log(), *t, r.child(element));
      if (auto p = read_element_price(er)) s.prices[element] = std::move(*p);
    }
  }
  r.finish();
  if (r.log().issues().size() != before) return std::nullopt;
  return s;
}

void read_price_file(IssueLog& log, const toml::table& root, MaterialLibrary& library) {
  TableReader top(log, root, "");
  auto default_name = top.string("default_scenario", true);
  std::vector<std::string> names;
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    if (name == "default_scenario") continue;
    top.raw(name);
    const toml::table* table = node.as_table();
    if (!table) {
      log.add(node, name, "expected a price scenario table [" + name + "], got " + describe_type(node));
      continue;
    }
    names.push_back(name);
    TableReader reader(log, *table, name);
    if (auto s = read_price_scenario(reader, name))
      library.add_price_scenario(std::move(*s), default_name && *default_name == name);
  }
  if (default_name && std::find(names.begin(), names.end(), *default_name) == names.end())
    top.invalid("default_scenario", "no scenario named '" + *default_name + "'" + did_you_mean(*default_name, names));
  top.finish();
}

}  // namespace rotormag::cases::detail
