package io.cloudops.api.console;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudops.api.console.CodeHighlighting.Line;
import io.cloudops.api.console.CodeHighlighting.Token;

import static org.assertj.core.api.Assertions.assertThat;

/** The task page's highlighting of plans (YAML) and diffs: every character kept, each piece classed. */
class CodeHighlightingTest {

    @Test
    void yamlLinesAreSplitIntoKeysPunctuationAndScalarsWithNothingLost() {
        String plan = """
                # rendered from web-app
                ---
                apiVersion: apps/v1
                spec:
                  replicas: 3
                  template:
                    - name: "web"
                      image: nginx:1.27
                    - 8080
                """;
        List<Line> lines = CodeHighlighting.yaml(plan);
        assertThat(lines).extracting(CodeHighlighting::text).as("the text, line by line")
                .containsExactlyElementsOf(plan.lines().toList());
        assertThat(lines.get(0).tokens()).containsExactly(new Token("c-comment", "# rendered from web-app"));
        assertThat(lines.get(1).tokens()).containsExactly(new Token("c-punct", "---"));
        assertThat(lines.get(2).tokens()).contains(new Token("c-key", "apiVersion"), new Token("c-value", "apps/v1"));
        assertThat(lines.get(4).tokens()).contains(new Token("c-key", "replicas"), new Token("c-literal", "3"));
        assertThat(lines.get(6).tokens()).contains(new Token("c-punct", "- "), new Token("c-key", "name"),
                new Token("c-string", "\"web\""));
        assertThat(lines.get(8).tokens()).contains(new Token("c-punct", "- "), new Token("c-literal", "8080"));
    }

    @Test
    void diffLinesAreClassedByTheirMarker() {
        List<Line> lines = CodeHighlighting.diff("""
                --- applied/a/plan.yaml
                +++ preview/b/plan.yaml
                @@ -1,2 +1,2 @@
                   replicas: 2
                -  image: nginx:1.26
                +  image: nginx:1.27
                """);
        assertThat(lines).extracting(Line::kind).containsExactly("c-file", "c-file", "c-hunk", "", "c-del", "c-add");
        assertThat(lines.get(5).tokens()).containsExactly(new Token("", "+  image: nginx:1.27"));
    }
}
