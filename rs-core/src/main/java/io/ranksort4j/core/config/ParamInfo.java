package io.ranksort4j.core.config;

/** Description of one parameter for listings such as {@code rs4j components}. */
public record ParamInfo(String key, String type, String defaultValue, String doc, String range, String family) {

    public boolean required() {
        return Param.REQUIRED.equals(defaultValue);
    }
}
