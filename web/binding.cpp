// The page's door into fcnn: a handful of C functions that web/worker.js calls. Each returns
// JSON text (or a pointer to doubles) and catches every exception, so a bad setting becomes
// {"error": "..."} on the page instead of an abort. One Trainer at a time, owned here.
#include <emscripten/emscripten.h>

#include <exception>
#include <optional>
#include <string>
#include <type_traits>

#include "json.hpp"
#include "playground.hpp"

using namespace playground;

namespace {

std::optional<Trainer> trainer;
std::string reply;          // the text the last call returned; valid until the next call
std::vector<double> grid;   // the last output_grid

const char* answer(std::string text) {
    reply = std::move(text);
    return reply.c_str();
}

template <typename Body>
const char* guarded(Body body) {
    try {
        if (!trainer) throw std::logic_error("the playground has no settings yet: call playground_configure");
        return answer(body());
    } catch (const std::exception& error) {
        return answer("{\"error\":" + json::quoted(error.what()) + "}");
    }
}

std::string layers_json(std::span<const fcnn::Layer> layers) {
    return json::list(layers, [](const fcnn::Layer& layer) {
        return "{\"W\":" + json::matrix(layer.weights) + ",\"b\":" + json::matrix(layer.biases) +
               ",\"activation\":" + json::quoted(layer.activation.name()) + "}";
    });
}

std::string joined(const auto& items) {
    std::string text;
    for (const auto& item : items) {
        if (!text.empty()) text += ',';
        if constexpr (std::is_arithmetic_v<std::decay_t<decltype(item)>>) text += std::to_string(item);
        else text += item;
    }
    return text;
}

// The settings as understood, under their URL keys, as text for the page's form.
std::string settings_json(const Settings& s) {
    const auto pair = [](const char* key, const std::string& value) { return json::quoted(key) + ":" + json::quoted(value); };
    return "{" + pair("data", s.data) + "," + pair("noise", json::number(s.noise)) + "," +
           pair("samples", std::to_string(s.samples)) + "," + pair("dataseed", std::to_string(s.data_seed)) + "," +
           pair("layers", joined(s.layers)) + "," + pair("activations", joined(s.activations)) + "," +
           pair("cost", s.cost) + "," + pair("init", s.init) + "," + pair("optimizer", s.optimizer) + "," +
           pair("lr", json::number(s.learning_rate)) + "," + pair("batch", std::to_string(s.batch_size)) + "," +
           pair("l2", json::number(s.l2)) + "," + pair("seed", std::to_string(s.seed)) + "," +
           pair("autorun", std::to_string(s.autorun)) + "}";
}

std::string stats_json(const fcnn::EpochStats& stats) {
    // The numbers as text too: the page shows the loss exactly as the reference program prints it.
    return "[" + std::to_string(stats.epoch) + "," + json::quoted(json::number(stats.loss)) + "," +
           json::quoted(json::number(*stats.accuracy)) + "]";
}

// The factors of BP1 and BP2 that the fast path fuses, computed again with the teaching
// operations so the panel can show each one.
std::string factors_json(const fcnn::Network& net, const StepRecord& r) {
    const std::size_t L = r.delta.size();
    const fcnn::Layer& out = r.before[L - 1];
    std::string bp1 = "{\"cancels\":" + std::string(net.cost().cancels_sigma_prime(out.activation) ? "true" : "false");
    if (out.activation.is_elementwise()) {
        bp1 += ",\"nabla_a\":" + json::matrix(net.cost().gradient(r.pass.a_s[L], r.y));
        bp1 += ",\"sigma_prime\":" + json::matrix(out.activation.derivative(r.pass.z_s[L - 1]));
    }
    std::string bp2 = "[";  // from the layer below the output back to the first
    for (std::size_t l = L - 1; l-- > 0;)
        bp2 += (bp2.size() > 1 ? ",{\"back\":" : "{\"back\":") +
               json::matrix(fcnn::matmul(fcnn::transpose(r.before[l + 1].weights), r.delta[l + 1])) +
               ",\"sigma_prime\":" + json::matrix(r.before[l].activation.derivative(r.pass.z_s[l])) + "}";
    bp2 += "]";
    return "{\"bp1\":" + bp1 + "},\"bp2\":" + bp2 + "}";
}

std::string record_json(const fcnn::Network& net, const StepRecord& r) {
    return "{\"columns\":" + json::array(r.columns) + ",\"x\":" + json::matrix(r.x) + ",\"y\":" + json::matrix(r.y) +
           ",\"z_s\":" + json::matrices(r.pass.z_s) + ",\"a_s\":" + json::matrices(r.pass.a_s) +
           ",\"delta\":" + json::matrices(r.delta) + ",\"nabla_w\":" + json::matrices(r.gradients.nabla_w) +
           ",\"nabla_b\":" + json::matrices(r.gradients.nabla_b) + ",\"before\":" + layers_json(r.before) +
           ",\"after\":" + layers_json(r.after) + ",\"cost\":" + json::number(r.cost) +
           ",\"cost_name\":" + json::quoted(net.cost().name()) + ",\"factors\":" + factors_json(net, r) + "}";
}

}  // namespace

extern "C" {

// Settings from a URL query ("data=xor&layers=2,4,1&..."): the data set's points and the
// settings as understood, or {"error": ...}.
EMSCRIPTEN_KEEPALIVE const char* playground_configure(const char* query) {
    try {
        fcnn::set_thread_count(1);  // no threads in this build: the page runs us in one Web Worker
        const Settings settings = parse_settings(query);
        trainer.reset();
        trainer.emplace(settings);
    } catch (const std::exception& error) {
        trainer.reset();
        return answer("{\"error\":" + json::quoted(error.what()) + "}");
    }
    return guarded([] {
        const DataSet& data = trainer->data();
        return "{\"settings\":" + settings_json(trainer->settings()) + ",\"X\":" + json::matrix(data.X) + ",\"Y\":" + json::matrix(data.Y) + ",\"center\":" +
               json::number(data.center) + ",\"extent\":" + json::number(data.extent) + "}";
    });
}

// Up to `batches` mini-batches, stopping early when `stop_at_epoch` (if not 0) epochs are done.
EMSCRIPTEN_KEEPALIVE const char* playground_run(int batches, int stop_at_epoch) {
    return guarded([&] {
        for (int i = 0; i < batches; ++i) {
            if (stop_at_epoch > 0 && trainer->epochs_done() >= static_cast<std::size_t>(stop_at_epoch)) break;
            trainer->step();
        }
        return "{\"epoch\":" + std::to_string(trainer->epochs_done()) + "}";
    });
}

// Where training is: epochs and batches done, the epochs' stats from index `from` on, the layers.
EMSCRIPTEN_KEEPALIVE const char* playground_state(int from) {
    return guarded([&] {
        const auto& history = trainer->history();
        const auto recent = std::span<const fcnn::EpochStats>(history).subspan(std::min(static_cast<std::size_t>(std::max(from, 0)), history.size()));
        return "{\"epoch\":" + std::to_string(trainer->epochs_done()) + ",\"batch\":" +
               std::to_string(trainer->batch_in_epoch()) + ",\"batches\":" + std::to_string(trainer->batches_per_epoch()) +
               ",\"history\":" + json::list(recent, stats_json) +
               ",\"layers\":" + layers_json(trainer->network().layers()) + "}";
    });
}

// One mini-batch, with everything the backprop panel shows.
EMSCRIPTEN_KEEPALIVE const char* playground_step() {
    return guarded([] {
        StepRecord record;
        trainer->step(&record);
        return record_json(trainer->network(), record);
    });
}

// a^L on a size x size raster (row 0 at the top): size * size doubles, valid until the next call.
EMSCRIPTEN_KEEPALIVE const double* playground_grid(int size) {
    if (!trainer || size <= 0) return nullptr;
    grid = output_grid(trainer->network(), trainer->data(), static_cast<std::size_t>(size));
    return grid.data();
}

}  // extern "C"
