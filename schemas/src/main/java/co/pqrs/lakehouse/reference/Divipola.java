package co.pqrs.lakehouse.reference;

import co.pqrs.lakehouse.config.ConfigException;
import co.pqrs.lakehouse.config.Source;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DANE DIVIPOLA geography from {@code data/reference/}: departments and municipalities. */
public record Divipola(Map<String, Department> departments, Map<String, Municipality> municipalities)
    implements Serializable {

  public static final String DEPARTMENTS_FILE = "divipola_departments.csv";
  public static final String MUNICIPALITIES_FILE = "divipola_municipalities.csv";

  public record Department(String code, String name, String naturalRegion) implements Serializable {}

  public record Municipality(
      String code, String name, String departmentCode, boolean isDepartmentCapital, long population)
      implements Serializable {}

  public Department departmentOf(String municipalityCode) {
    Municipality m = municipalities.get(municipalityCode);
    return m == null ? null : departments.get(m.departmentCode());
  }

  public static Divipola load(Source departments, Source municipalities) {
    Map<String, Department> deps = new LinkedHashMap<>();
    List<List<String>> rows = Csv.read(departments, List.of("department_code", "department_name", "natural_region"));
    for (int i = 0; i < rows.size(); i++) {
      List<String> r = rows.get(i);
      String where = "line " + (i + 2);
      if (!r.get(0).matches("[0-9]{2}")) {
        throw new ConfigException(departments.name(), where, "department_code \"" + r.get(0) + "\" is not two digits");
      }
      if (deps.put(r.get(0), new Department(r.get(0), r.get(1), r.get(2))) != null) {
        throw new ConfigException(departments.name(), where, "department_code " + r.get(0) + " appears twice");
      }
    }
    Map<String, Municipality> muns = new LinkedHashMap<>();
    Map<String, Integer> capitals = new LinkedHashMap<>();
    Map<String, Integer> perDepartment = new LinkedHashMap<>();
    rows = Csv.read(municipalities,
        List.of("municipality_code", "municipality_name", "department_code", "is_department_capital", "population"));
    for (int i = 0; i < rows.size(); i++) {
      List<String> r = rows.get(i);
      String where = "line " + (i + 2);
      String code = r.get(0);
      String dep = r.get(2);
      if (!code.matches("[0-9]{5}")) {
        throw new ConfigException(municipalities.name(), where, "municipality_code \"" + code + "\" is not five digits");
      }
      if (!deps.containsKey(dep)) {
        throw new ConfigException(municipalities.name(), where, "unknown department_code " + dep);
      }
      if (!code.startsWith(dep)) {
        throw new ConfigException(municipalities.name(), where,
            "municipality_code " + code + " does not start with its department_code " + dep);
      }
      if (!r.get(3).equals("true") && !r.get(3).equals("false")) {
        throw new ConfigException(municipalities.name(), where, "is_department_capital must be true or false");
      }
      long pop;
      try {
        pop = Long.parseLong(r.get(4));
      } catch (NumberFormatException e) {
        pop = -1;
      }
      if (pop <= 0) {
        throw new ConfigException(municipalities.name(), where, "population \"" + r.get(4) + "\" is not a positive number");
      }
      boolean capital = r.get(3).equals("true");
      if (muns.put(code, new Municipality(code, r.get(1), dep, capital, pop)) != null) {
        throw new ConfigException(municipalities.name(), where, "municipality_code " + code + " appears twice");
      }
      perDepartment.merge(dep, 1, Integer::sum);
      if (capital && capitals.merge(dep, 1, Integer::sum) > 1) {
        throw new ConfigException(municipalities.name(), where, "department " + dep + " has a second capital");
      }
    }
    List<String> empty = new ArrayList<>();
    for (String d : deps.keySet()) {
      if (!perDepartment.containsKey(d)) {
        empty.add(d);
      }
    }
    if (!empty.isEmpty()) {
      throw new ConfigException(municipalities.name(), null, "departments without any municipality: " + empty);
    }
    return new Divipola(java.util.Collections.unmodifiableMap(deps), java.util.Collections.unmodifiableMap(muns));
  }

  /** Minimal RFC 4180 reader: quoted fields may hold commas; the header must match exactly. */
  static final class Csv {
    static List<List<String>> read(Source src, List<String> header) {
      String text = src.text();
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      String[] lines = text.split("\r?\n");
      if (lines.length == 0 || !split(lines[0]).equals(header)) {
        throw new ConfigException(src.name(), "line 1", "header must be " + String.join(",", header));
      }
      List<List<String>> out = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        List<String> f = split(lines[i]);
        if (f.size() != header.size()) {
          throw new ConfigException(src.name(), "line " + (i + 1),
              "expected " + header.size() + " fields, got " + f.size());
        }
        out.add(f);
      }
      return out;
    }

    static List<String> split(String line) {
      List<String> out = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            cur.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          out.add(cur.toString());
          cur.setLength(0);
        } else {
          cur.append(c);
        }
      }
      out.add(cur.toString());
      return out;
    }
  }
}
