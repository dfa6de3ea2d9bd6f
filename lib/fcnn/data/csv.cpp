// CSV files as people have them: RFC 4180 quoting, a UTF-8 byte order mark, CRLF line ends,
// lines to skip, a header or none, and scikit-learn's dataset format, whose first line counts
// the samples and features and names the classes ("150,4,setosa,versicolor,virginica").
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string_view>

#include "fcnn/data/dataset.hpp"
#include "fcnn/data/gzip.hpp"
#include "fcnn/number_text.hpp"

namespace fcnn::data {

namespace {

std::runtime_error error_at(const std::string& source, std::size_t line, const std::string& problem) {
    return std::runtime_error(source + ":" + std::to_string(line) + ": " + problem);
}

// One record at a time (RFC 4180): fields split at commas; a field in double quotes may hold
// commas, line breaks and "" for a quote. Spaces around a field and the \r of CRLF are dropped.
class CsvReader {
public:
    CsvReader(std::string_view text, const std::string& source) : text_(text), source_(source) {
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);  // a UTF-8 byte order mark
    }
    void skip_lines(std::size_t n) {
        for (; n > 0 && at_ < text_.size(); --n, ++line_) {
            const std::size_t end = text_.find('\n', at_);
            at_ = end == std::string_view::npos ? text_.size() : end + 1;
        }
    }
    // The next record that is not a blank line, into fields; false at the end of the text.
    bool next(std::vector<std::string>& fields) {
        while (at_ < text_.size()) {
            line_of_record_ = line_;
            fields.clear();
            bool quoted = false, more = true;
            while (more) {
                fields.emplace_back();
                quoted = read_field(fields.back(), fields.size()) || quoted;
                more = at_ < text_.size() && text_[at_] == ',';
                if (at_ < text_.size() && text_[at_++] == '\n') ++line_;
            }
            if (fields.size() > 1 || quoted || !fields[0].empty()) return true;
        }
        return false;
    }
    std::size_t line() const { return line_of_record_; }  // where the last record began

private:
    static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
    bool at_field_end() const { return at_ >= text_.size() || text_[at_] == ',' || text_[at_] == '\n'; }

    // Reads up to the next unquoted ',' or line end; true when the field was quoted.
    bool read_field(std::string& field, std::size_t column) {
        while (at_ < text_.size() && is_space(text_[at_])) ++at_;
        if (at_ < text_.size() && text_[at_] == '"') {
            read_quoted(field, column);
            while (at_ < text_.size() && is_space(text_[at_])) ++at_;
            if (!at_field_end())
                throw error_at(source_, line_, "column " + std::to_string(column) +
                                                   ": text after the closing quote of a quoted field (inside quotes, write a quote as \"\")");
            return true;
        }
        const std::size_t start = at_;
        while (!at_field_end()) ++at_;
        std::string_view text = text_.substr(start, at_ - start);
        while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
        field.assign(text);
        return false;
    }

    void read_quoted(std::string& field, std::size_t column) {
        const std::size_t opened = line_;
        for (++at_;; ++at_) {
            if (at_ >= text_.size())
                throw error_at(source_, opened, "column " + std::to_string(column) +
                                                    ": a quoted field is not closed: expected a \" before the end of the file");
            if (text_[at_] == '"') {
                if (at_ + 1 < text_.size() && text_[at_ + 1] == '"') ++at_;  // "" is one quote
                else return void(++at_);
            }
            if (text_[at_] == '\n') ++line_;
            field += text_[at_];
        }
    }

    std::string_view text_;
    const std::string& source_;
    std::size_t at_ = 0, line_ = 1, line_of_record_ = 0;
};

// A number, even one out of float's range (a data line with 1e308 is data, refused as such).
bool is_number(const std::string& text) { return fcnn::parse_number<float>(text).error != NumberError::not_a_number; }

// A feature: a finite number that float can hold.
float feature(const std::string& text, const std::string& where) {
    const ParsedNumber<float> number = fcnn::parse_number<float>(text);
    if (number.error == NumberError::out_of_range)
        throw std::runtime_error(where + "'" + text + "' is out of range for float, in which fcnn keeps features "
                                 "(magnitudes up to about 3.4e38, and none so small that it would read as 0)");
    if (!number) throw std::runtime_error(where + "expected a number, found '" + text + "'");
    if (!std::isfinite(number.value))
        throw std::runtime_error(where + "'" + text + "' is not a finite number: fcnn refuses NaN and infinite "
                                 "features (fill in or drop the missing values first)");
    return number.value;
}

// The label texts in class order: numeric order when all are numbers, else alphabetical.
std::vector<std::string> class_order(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (std::all_of(names.begin(), names.end(), is_number))
        std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
            return fcnn::parse_number<float>(a).value < fcnn::parse_number<float>(b).value;
        });
    return names;
}

// How the first record was read, for messages about the lines after it.
enum class FirstLine { data, header, scikit_learn };

struct Layout {
    FirstLine first = FirstLine::data;
    std::size_t line = 0;      // the first record's line
    std::size_t columns = 0;   // of every data line
    std::size_t label = 0;     // the label's column, counting from 0
    std::uint64_t promised_samples = 0;        // scikit-learn's count line: n_samples
    std::vector<std::string> class_names;      // and its class names
    std::string why_header;                    // the field that made the first line a header
};

// scikit-learn's count line, "n_samples,n_features,name_0,name_1,...", followed by data lines
// of n_features + 1 fields whose last is a class number. A header ("x,y,kind") or a data line
// with a text label ("1,2,cat", then "3,4,dog") does not look like that.
bool is_scikit_learn(const std::vector<std::string>& first, const std::vector<std::string>& second) {
    if (first.size() < 3 || !parse_whole_number(first[0]) || !parse_whole_number(first[1])) return false;
    if (std::any_of(first.begin() + 2, first.end(), is_number)) return false;
    const std::uint64_t features = *parse_whole_number(first[1]), names = first.size() - 2;
    // Not features + 1: a count of 2^64 - 1 wraps it to 0, which an empty second line then matches.
    if (features < 1 || second.empty() || second.size() - 1 != features) return false;
    const auto label = parse_whole_number(second.back());
    return label && *label < names;
}

Layout read_layout(const std::vector<std::string>& first, const std::vector<std::string>& second, std::size_t line,
                   const std::string& source, const CsvOptions& options) {
    Layout layout;
    layout.line = line;
    const std::string where = source + ":" + std::to_string(line) + ": ";
    if (options.header != false && is_scikit_learn(first, second)) {
        layout.first = FirstLine::scikit_learn;
        layout.promised_samples = *parse_whole_number(first[0]);
        layout.class_names.assign(first.begin() + 2, first.end());
        layout.columns = second.size();
    } else {
        layout.columns = first.size();
    }
    if (layout.columns < 2)
        throw std::runtime_error(where + "expected at least 2 columns (features and a label), found " + std::to_string(layout.columns) +
                                 ": fcnn reads fields separated by commas; if the data starts further down (below a comment or a "
                                 "title), skip the lines above it with --skip-rows N");
    layout.label = options.label_column.value_or(layout.columns - 1);
    if (layout.label >= layout.columns)
        throw std::runtime_error(where + "the label column " + std::to_string(layout.label) + " does not exist: the line has " +
                                 std::to_string(layout.columns) + " columns (0 to " + std::to_string(layout.columns - 1) + ")");
    if (layout.first == FirstLine::scikit_learn) return layout;
    for (std::size_t c = 0; c < first.size() && layout.why_header.empty(); ++c)
        if (c != layout.label && !is_number(first[c])) layout.why_header = first[c];
    if (options.header.value_or(!layout.why_header.empty())) layout.first = FirstLine::header;
    return layout;
}

// "expected 5 columns like line 1, found 14", and for the line after the first, how the first
// line was read and the flag that reads it otherwise.
std::string ragged_line(const Layout& layout, std::size_t found, bool just_after_first) {
    const std::string first = "line " + std::to_string(layout.line);
    std::string message = "expected " + std::to_string(layout.columns) + " columns like " + first + ", found " + std::to_string(found);
    if (!just_after_first) return message;
    if (layout.first == FirstLine::header)
        return message + "; " + first + " was read as a header (its field '" + layout.why_header +
               "' is not a number): if the data starts further down, skip the lines above it with --skip-rows N; "
               "if " + first + " is data, say --header no";
    return message + "; " + first + " was read as data (every field a number): if lines above the data differ "
           "(a title, a count), skip them with --skip-rows N; if " + first + " is a header, say --header yes";
}

struct CsvRows {
    std::vector<float> features;     // sample after sample, each of columns - 1 features
    std::vector<std::string> labels;
};

void add_row(const std::vector<std::string>& fields, const Layout& layout, const std::string& where, CsvRows& rows) {
    for (std::size_t c = 0; c < fields.size(); ++c)
        if (c != layout.label) rows.features.push_back(feature(fields[c], where + "column " + std::to_string(c + 1) + ": "));
    const std::string& label = fields[layout.label];
    if (layout.first == FirstLine::scikit_learn) {
        const auto k = parse_whole_number(label);
        if (!k || *k >= layout.class_names.size())
            throw std::runtime_error(where + "column " + std::to_string(layout.label + 1) + ": the label '" + label +
                                     "' is not a class number: the scikit-learn count line names " +
                                     std::to_string(layout.class_names.size()) + " classes, 0 to " +
                                     std::to_string(layout.class_names.size() - 1));
    }
    rows.labels.push_back(label);
}

// The data records of a CSV text, checked: the same number of fields on every line, numbers
// everywhere but in the label column.
std::pair<CsvRows, Layout> read_rows(const std::string& text, const std::string& source, const CsvOptions& options) {
    CsvReader reader(text, source);
    reader.skip_lines(options.skip_rows);
    std::vector<std::string> first, fields;
    if (!reader.next(first)) throw std::runtime_error(source + ": no data lines");
    const std::size_t first_line = reader.line();
    const bool has_second = reader.next(fields);
    const Layout layout = read_layout(first, has_second ? fields : std::vector<std::string>{}, first_line, source, options);
    CsvRows rows;
    const auto add = [&](const std::vector<std::string>& record, std::size_t line, bool just_after_first) {
        const std::string where = source + ":" + std::to_string(line) + ": ";
        if (record.size() != layout.columns) throw std::runtime_error(where + ragged_line(layout, record.size(), just_after_first));
        add_row(record, layout, where, rows);
    };
    if (layout.first == FirstLine::data) add(first, first_line, false);
    for (bool more = has_second, second = true; more; more = reader.next(fields), second = false)
        add(fields, reader.line(), second && layout.first != FirstLine::scikit_learn);
    if (rows.labels.empty()) throw std::runtime_error(source + ": no data lines");
    if (layout.first == FirstLine::scikit_learn && rows.labels.size() != layout.promised_samples)
        throw error_at(source, layout.line, "the scikit-learn count line promises " + std::to_string(layout.promised_samples) +
                                                " samples, but the file holds " + std::to_string(rows.labels.size()));
    return {std::move(rows), layout};
}

}  // namespace

Dataset parse_csv(const std::string& text, const std::string& source, const CsvOptions& options) {
    const auto [rows, layout] = read_rows(text, source, options);
    Dataset data;
    const std::size_t n = rows.labels.size(), features = rows.features.size() / n;
    std::map<std::string, std::size_t> class_of;
    if (layout.first == FirstLine::scikit_learn) {
        data.class_names = layout.class_names;
        for (const std::string& label : rows.labels) class_of[label] = static_cast<std::size_t>(*parse_whole_number(label));  // < class_names.size(): add_row checked
    } else {
        data.class_names = class_order(rows.labels);
        for (std::size_t k = 0; k < data.class_names.size(); ++k) class_of[data.class_names[k]] = k;
    }
    data.X_rows = FloatMatrix(n, features);  // one row per sample, as the file holds them
    std::copy(rows.features.begin(), rows.features.end(), data.X_rows.values().begin());
    for (std::size_t j = 0; j < n; ++j) data.labels.push_back(class_of[rows.labels[j]]);
    return data;
}

FloatMatrix parse_csv_features(const std::string& text, const std::string& source) {
    CsvReader reader(text, source);
    std::vector<std::string> fields;
    std::vector<float> values;  // sample after sample, as in the file
    std::size_t columns = 0, first_line = 0, samples = 0;
    for (; reader.next(fields); ++samples) {
        const std::string where = source + ":" + std::to_string(reader.line()) + ": ";
        if (samples == 0) columns = fields.size(), first_line = reader.line();
        if (fields.size() != columns)
            throw std::runtime_error(where + "expected " + std::to_string(columns) + " columns like line " +
                                     std::to_string(first_line) + ", found " + std::to_string(fields.size()));
        for (std::size_t c = 0; c < columns; ++c)
            values.push_back(feature(fields[c], where + "column " + std::to_string(c + 1) + ": "));
    }
    if (samples == 0) throw std::runtime_error(source + ": no data lines");
    FloatMatrix X_rows(samples, columns);  // X_rows: samples x n_features, one sample a row, as in the file
    std::copy(values.begin(), values.end(), X_rows.values().begin());
    return X_rows;
}

Dataset load_csv(const std::filesystem::path& path, const CsvOptions& options) {
    if (std::filesystem::is_directory(path))
        throw std::runtime_error(path.string() + " is a folder; expected a CSV file (.csv or .csv.gz) there");
    const std::vector<std::uint8_t> bytes = read_file(path);
    return parse_csv(std::string(bytes.begin(), bytes.end()), path.string(), options);
}

}  // namespace fcnn::data
