#include "playground.hpp"

#include "fcnn/elementary.hpp"
#include "fcnn/number_text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <numbers>
#include <numeric>
#include <optional>
#include <stdexcept>

namespace playground {

namespace {

std::invalid_argument bad_value(std::string_view key, std::string_view value, std::string_view expected) {
    return std::invalid_argument("playground setting '" + std::string(key) + "': expected " + std::string(expected) +
                                 ", got '" + std::string(value) + "'");
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
        const std::size_t end = text.find(separator, start);
        parts.emplace_back(text.substr(start, end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

// strtod under the "C" locale, which neither the page nor the reference program ever changes.
double parse_number(std::string_view key, const std::string& value, double low, double high) {
    char* end = nullptr;
    errno = 0;
    const double x = value.empty() ? NAN : std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || errno != 0 || !(x >= low && x <= high))
        throw bad_value(key, value, "a number from " + std::to_string(low) + " to " + std::to_string(high));
    return x;
}

std::size_t parse_count(std::string_view key, const std::string& value, std::size_t low, std::size_t high) {
    const std::optional<std::uint64_t> n = fcnn::parse_whole_number(value);
    if (!n || *n < low || *n > high)
        throw bad_value(key, value, "a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    return static_cast<std::size_t>(*n);
}

std::vector<std::size_t> parse_layers(const std::string& value) {
    std::vector<std::size_t> layers;
    for (const std::string& width : split(value, ',')) layers.push_back(parse_count("layers", width, 1, 64));
    if (layers.size() < 2 || layers.front() != 2 || layers.back() != 1)
        throw bad_value("layers", value, "widths like 2,8,8,1: 2 inputs (x, y), hidden layers, 1 output");
    return layers;
}

void set(Settings& s, std::string_view key, const std::string& value) {
    if (key == "data") s.data = value;
    else if (key == "noise") s.noise = parse_number(key, value, 0, 1);
    else if (key == "samples") s.samples = parse_count(key, value, 4, 2000);
    else if (key == "dataseed") s.data_seed = parse_count(key, value, 0, 999999999);
    else if (key == "layers") s.layers = parse_layers(value);
    else if (key == "activations") s.activations = split(value, ',');
    else if (key == "cost") s.cost = value;
    else if (key == "init") s.init = value;
    else if (key == "optimizer") s.optimizer = value;
    else if (key == "lr") s.learning_rate = parse_number(key, value, 1e-6, 100);
    else if (key == "batch") s.batch_size = parse_count(key, value, 1, 2000);
    else if (key == "l2") s.l2 = parse_number(key, value, 0, 10);
    else if (key == "seed") s.seed = parse_count(key, value, 0, 999999999);
    else if (key == "autorun") s.autorun = parse_count(key, value, 0, 100000);
    else throw std::invalid_argument("playground: unknown setting '" + std::string(key) + "' (known: " + known_keys() + ")");
}

}  // namespace

std::string known_keys() {
    return "data, noise, samples, dataseed, layers, activations, cost, init, optimizer, lr, batch, l2, seed, autorun";
}

Settings parse_settings(std::string_view query) {
    if (!query.empty() && query.front() == '?') query.remove_prefix(1);
    Settings settings;
    bool activations_given = false;
    for (const std::string& pair : split(query, '&')) {
        if (pair.empty()) continue;
        const std::size_t equals = pair.find('=');
        const std::string key = pair.substr(0, equals);
        if (equals == std::string::npos) throw bad_value(key, "", "key=value");
        set(settings, key, pair.substr(equals + 1));
        activations_given |= key == "activations";
    }
    if (!activations_given) {  // tanh in every hidden layer, a sigmoid output
        settings.activations.assign(settings.layers.size() - 1, "tanh");
        settings.activations.back() = "sigmoid";
    }
    return settings;
}

namespace {

struct Point {
    double x, y, label;
};

double uniform(fcnn::Random& random, double low, double high) { return low + (high - low) * random.uniform(); }

// Labels are set where a point is drawn; the noise then moves it (it may cross the boundary).
std::vector<Point> draw_points(const Settings& s, fcnn::Random& random) {
    std::vector<Point> points;
    const std::size_t n = s.samples;
    for (std::size_t i = 0; i < n; ++i) {
        if (s.data == "xor") {
            double x = uniform(random, -1, 1), y = uniform(random, -1, 1);
            x += x > 0 ? 0.05 : -0.05;  // a margin around the axes, as TensorFlow Playground keeps
            y += y > 0 ? 0.05 : -0.05;
            points.push_back({x, y, x * y > 0 ? 0.0 : 1.0});
        } else if (s.data == "circle") {
            const bool inside = i % 2 == 0;
            const double r = inside ? uniform(random, 0, 0.45) : uniform(random, 0.65, 1.0);
            const double t = uniform(random, 0, 2 * std::numbers::pi);
            points.push_back({r * fcnn::cos(t), r * fcnn::sin(t), inside ? 1.0 : 0.0});
        } else if (s.data == "spiral") {
            const double r = static_cast<double>(i / 2) / static_cast<double>(n / 2);
            const double t = 1.75 * 2 * std::numbers::pi * r + (i % 2 == 0 ? 0 : std::numbers::pi);
            points.push_back({r * fcnn::sin(t), r * fcnn::cos(t), i % 2 == 0 ? 1.0 : 0.0});
        } else if (s.data == "gauss") {
            const double c = i % 2 == 0 ? 0.45 : -0.45;
            points.push_back({c + 0.2 * random.normal(), c + 0.2 * random.normal(), i % 2 == 0 ? 1.0 : 0.0});
        } else {
            throw bad_value("data", s.data, "xor, xor4, circle, spiral or gauss");
        }
    }
    for (Point& p : points) {
        p.x += s.noise * random.normal();
        p.y += s.noise * random.normal();
    }
    return points;
}

}  // namespace

DataSet make_data(const Settings& settings) {
    if (settings.data == "xor4")  // tutorial 04's four samples, no noise
        return {Matrix{{0, 0, 1, 1}, {0, 1, 0, 1}}, Matrix{{0, 1, 1, 0}}, 0.5, 1.0};
    fcnn::Random random(settings.data_seed);
    const std::vector<Point> points = draw_points(settings, random);
    DataSet data{Matrix(2, points.size()), Matrix(1, points.size()), 0, 1.2};
    for (std::size_t j = 0; j < points.size(); ++j) {
        data.X(0, j) = points[j].x;
        data.X(1, j) = points[j].y;
        data.Y(0, j) = points[j].label;
    }
    return data;
}

fcnn::Network make_network(const Settings& s) {
    return fcnn::Network(s.layers, s.activations, {.cost = s.cost, .init = s.init, .seed = s.seed});
}

fcnn::TrainOptions train_options(const Settings& s, std::size_t epochs) {
    return {.batch_size = s.batch_size,
            .epochs = epochs,
            .optimizer = {.name = s.optimizer, .learning_rate = s.learning_rate, .l2 = s.l2},
            .seed = s.seed};
}

Trainer::Trainer(const Settings& settings)
    : settings_(settings),
      data_(make_data(settings)),
      net_(make_network(settings)),
      optimizer_({.name = settings.optimizer, .learning_rate = settings.learning_rate, .l2 = settings.l2}),
      shuffle_random_(settings.seed),
      order_(data_.X.cols()) {
    std::iota(order_.begin(), order_.end(), std::size_t(0));
}

std::size_t Trainer::batches_per_epoch() const {
    return (order_.size() + settings_.batch_size - 1) / settings_.batch_size;
}

// One iteration of fcnn::train's loop over mini-batches (training.cpp, region mini-batches).
void Trainer::step(StepRecord* record) {
    if (next_ == 0) shuffle_random_.shuffle(order_);  // train shuffles at the start of every epoch
    const std::span<const std::size_t> batch =
        std::span<const std::size_t>(order_).subspan(next_, std::min(settings_.batch_size, order_.size() - next_));
    fcnn::gather_columns_into(x_, data_.X, batch);  // n_0 x batch
    fcnn::gather_columns_into(y_, data_.Y, batch);  // n_L x batch
    net_.feedforward_into(pass_, x_);
    const double cost = net_.cost().value(pass_.a_s.back(), y_);
    cost_sum_ += cost * static_cast<double>(batch.size());
    correct_ += fcnn::count_correct(pass_.a_s.back(), y_);
    net_.backprop_into(work_, y_, pass_.z_s, pass_.a_s);
    if (record) *record = {{batch.begin(), batch.end()}, x_, y_, pass_, work_.delta, work_.gradients,
                           {net_.layers().begin(), net_.layers().end()}, {}, cost};
    optimizer_.step(fcnn::parameters(net_, work_.gradients));
    if (record) record->after.assign(net_.layers().begin(), net_.layers().end());
    next_ += batch.size();
    if (next_ == order_.size()) finish_epoch();
}

void Trainer::run_epoch() {
    do step();
    while (next_ != 0);
}

void Trainer::finish_epoch() {
    const double n = static_cast<double>(order_.size());
    history_.push_back({.epoch = ++epoch_, .loss = cost_sum_ / n, .accuracy = static_cast<double>(correct_) / n});
    next_ = 0;
    cost_sum_ = 0;
    correct_ = 0;
}

std::vector<double> output_grid(const fcnn::Network& net, const DataSet& data, std::size_t grid) {
    Matrix X(2, grid * grid);
    for (std::size_t row = 0; row < grid; ++row)
        for (std::size_t col = 0; col < grid; ++col) {
            const auto at = [&](std::size_t k) { return (static_cast<double>(k) + 0.5) / static_cast<double>(grid) * 2 - 1; };
            X(0, row * grid + col) = data.center + data.extent * at(col);
            X(1, row * grid + col) = data.center - data.extent * at(row);
        }
    const Matrix a = net.predict(X);  // 1 x grid^2
    return {a.values().begin(), a.values().end()};
}

}  // namespace playground
