package co.pqrs.lakehouse.reference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import co.pqrs.lakehouse.config.ConfigException;
import co.pqrs.lakehouse.config.Source;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DivipolaTest {
  private static Source dep() {
    return Source.packaged(Source.Kind.REFERENCE, Divipola.DEPARTMENTS_FILE);
  }

  private static Source mun() {
    return Source.packaged(Source.Kind.REFERENCE, Divipola.MUNICIPALITIES_FILE);
  }

  @Test
  void allThirtyThreeDepartmentsWithRegionsAndCapitals() {
    Divipola d = Divipola.load(dep(), mun());
    assertThat(d.departments().size(), is(33));
    assertThat(d.departments().get("11").name(), equalTo("Bogotá, D.C."));
    assertThat(d.departments().get("88").naturalRegion(), equalTo("Insular"));
    Set<String> regions = new TreeSet<>();
    d.departments().values().forEach(x -> regions.add(x.naturalRegion()));
    assertThat(regions, equalTo(Set.of("Amazonía", "Andina", "Caribe", "Insular", "Orinoquía", "Pacífica")));
    long capitals = d.municipalities().values().stream().filter(Divipola.Municipality::isDepartmentCapital).count();
    // Every department but Cundinamarca, whose capital is Bogotá, D.C. (its own unit).
    assertThat(capitals, is(32L));
    assertThat(d.municipalities().size(), greaterThanOrEqualTo(70));
    assertThat(d.departmentOf("05088").name(), equalTo("Antioquia"));
    assertThat(d.municipalities().get("76001").name(), equalTo("Santiago de Cali"));
  }

  @Test
  void badRowsAreOneLineErrors() {
    Source bad = new Source(Divipola.MUNICIPALITIES_FILE, (new String(mun().bytes(), StandardCharsets.UTF_8)
        + "06001,Nowhere,05,false,1000\n").getBytes(StandardCharsets.UTF_8));
    ConfigException e = assertThrows(ConfigException.class, () -> Divipola.load(dep(), bad));
    assertThat(e.getMessage(), containsString(
        "divipola_municipalities.csv: line 80: municipality_code 06001 does not start with its department_code 05"));
    Source dup = new Source(Divipola.MUNICIPALITIES_FILE, (new String(mun().bytes(), StandardCharsets.UTF_8)
        + "05002,Abejorral,05,true,20000\n").getBytes(StandardCharsets.UTF_8));
    e = assertThrows(ConfigException.class, () -> Divipola.load(dep(), dup));
    assertThat(e.getMessage(), containsString("department 05 has a second capital"));
  }
}
