// Tutorial 06: the backprop trace of the 2-3-1 network of tutorials 02 and 03.
// Run: build/tutorials/06-debugging-backprop
#include <iostream>

#include <fcnn/fcnn.hpp>

#include "../worked_example.hpp"

int main() {
    fcnn::Network net = worked_example::network();
    const auto [z_s, a_s] = net.feedforward(worked_example::X);
    // [snippet trace]
    net.set_trace(&std::cout);  // every equation of the next backprop, with its numbers
    net.backprop(worked_example::Y, z_s, a_s);
    net.set_trace(nullptr);     // off again
    // [end trace]
}
